get svc -o 'jsonpath={.items[*].spec.ports[?(@.name=="http")].port}' -f kubectl.yaml
