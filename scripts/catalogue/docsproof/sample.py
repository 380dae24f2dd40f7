#!/usr/bin/env python3
"""Pick the docs-proof sample: the 5 largest services by action count plus 15 drawn with random.Random(17)
from the rest (sorted by name), and copy their specs into a sample tree."""
import collections, glob, json, os, random, shutil, sys
specs, provider, out = sys.argv[1:4]
counts = collections.Counter()
for f in glob.glob(f"{specs}/{provider}/*/*.json"):
    counts[f.split("/")[-2]] += len(json.load(open(f))["actions"])
largest = [s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
rest = sorted(s for s in counts if s not in largest)
drawn = sorted(random.Random(17).sample(rest, 15))
os.makedirs(f"{out}/{provider}", exist_ok=True)
for s in largest + drawn:
    shutil.copytree(f"{specs}/{provider}/{s}", f"{out}/{provider}/{s}")
    print(s, counts[s], "largest" if s in largest else "drawn")
