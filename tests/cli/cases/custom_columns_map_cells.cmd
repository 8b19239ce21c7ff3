get svc -o custom-columns=NAME:.metadata.name,SELECTOR:.spec.selector -f kubectl.yaml
