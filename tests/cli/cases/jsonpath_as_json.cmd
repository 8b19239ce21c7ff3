get svc -o jsonpath-as-json={.items[*].metadata.name} -f kubectl.yaml
