get pods -A -f -
stdin-generated: {"kind": "ConfigMapList", "items": [ | {}, | 1000000 | {}]}
