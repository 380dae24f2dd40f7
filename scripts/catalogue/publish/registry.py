"""The directory source's one operation, shared by source.py and dryrun.py: a packaged `.crate` unpacked into
it as cargo vendor would leave it, with the `.cargo-checksum.json` cargo checks (`package`: the .crate's sha256,
`files`: each file's sha256)."""
import hashlib, json, os, shutil, tarfile


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def unpack(crate, registry):
    """Unpacks `crate` (`…/name-version.crate`) into `registry`, replacing an entry of the same name and
    version left by an earlier run (its checksums would be stale); returns the entry's directory."""
    stem = os.path.basename(crate)[:-len(".crate")]
    entry = os.path.join(registry, stem)
    if os.path.islink(entry):
        os.unlink(entry)
    shutil.rmtree(entry, ignore_errors=True)
    with tarfile.open(crate) as tar:
        tar.extractall(registry, filter="data")
    files = {}
    for root, _, filenames in os.walk(entry):
        for filename in filenames:
            path = os.path.join(root, filename)
            files[os.path.relpath(path, entry)] = sha256(path)
    with open(os.path.join(entry, ".cargo-checksum.json"), "w") as f:
        json.dump({"files": dict(sorted(files.items())), "package": sha256(crate)}, f)
    return entry


def directory(config):
    """The directory of the source a `registry.toml` (written by source.py) replaces crates-io with."""
    for line in open(config):
        if line.startswith("directory = "):
            return json.loads(line.split("=", 1)[1].strip())
    raise SystemExit(f"{config}: no `directory = ` line; source.py writes it")
