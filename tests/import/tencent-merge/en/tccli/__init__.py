__version__ = '3.1.2.0'
