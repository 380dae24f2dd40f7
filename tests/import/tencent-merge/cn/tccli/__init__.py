__version__ = '3.1.1.0'
