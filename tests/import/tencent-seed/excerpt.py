#!/usr/bin/env python3
"""Cut the tccli excerpts `tests/tests/seed_vs_import.rs` needs out of the two wheels (Python 3 stdlib only).

    pip download --no-deps tccli==3.1.189.1 -d cn && python3 -m zipfile -e cn/*.whl cn/x
    pip download --no-deps tccli-intl-en==3.1.193.1 -d en && python3 -m zipfile -e en/*.whl en/x
    python3 tests/import/tencent-seed/excerpt.py cn/x en/x tests/import/tencent-seed

Keeps only the seed actions, the objects they reach and their examples; everything else of each file is dropped.
"""
import json, os, sys

SEEDS = {('apigateway', 'v20180808'): ['CreateApiKey', 'UpdateApiKey', 'UpdateApiAppKey'],
         ('teo', 'v20220901'): ['ModifyMultiPathGatewaySecretKey']}
SCALARS = {'string', 'int64', 'uint64', 'float', 'bool', 'binary', 'datetime', 'datetime_iso', 'date'}
PACKAGES = {'cn': ('tccli', '3.1.189.1'), 'en': ('tccli-intl-en', '3.1.193.1')}


def main(cn_root, en_root, out):
    for label, root in (('cn', cn_root), ('en', en_root)):
        package, version = PACKAGES[label]
        for (service, api_version), actions in SEEDS.items():
            rel = 'tccli/services/%s/%s' % (service, api_version)
            api = json.load(open(os.path.join(root, rel, 'api.json'), encoding='utf-8'))
            examples = json.load(open(os.path.join(root, rel, 'examples.json'), encoding='utf-8'))
            keep, stack = [], []
            for a in actions:
                stack += [api['actions'][a]['input'], api['actions'][a]['output']]
            while stack:
                name = stack.pop()
                if name in keep:
                    continue
                keep.append(name)
                for m in api['objects'][name]['members']:
                    if m['type'] == 'object' or (m['type'] == 'list' and m['member'] not in SCALARS):
                        stack.append(m['member'])
            provenance = {'package': package, 'version': version, 'path': rel,
                          'excerpt': 'only the actions %s and the objects they reach' % ', '.join(actions)}
            api_out = {'provenance': dict(provenance, path=rel + '/api.json'), 'metadata': api['metadata'],
                       'actions': {a: api['actions'][a] for a in actions},
                       'objects': {o: api['objects'][o] for o in sorted(keep)}, 'version': api.get('version')}
            ex_out = {'provenance': dict(provenance, path=rel + '/examples.json'),
                      'actions': {a: examples['actions'][a] for a in actions if a in examples['actions']},
                      'version': examples.get('version')}
            d = os.path.join(out, label, service, api_version)
            os.makedirs(d, exist_ok=True)
            for name, data in (('api.json', api_out), ('examples.json', ex_out)):
                with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
                    json.dump(data, f, ensure_ascii=False, indent=2)
                    f.write('\n')


if __name__ == '__main__':
    main(*sys.argv[1:4])
