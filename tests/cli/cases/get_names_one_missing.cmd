get svc web nope db -f kubectl.yaml
