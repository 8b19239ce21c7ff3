get svc --sort-by=.spec.nothing -f kubectl.yaml
