get pods -o "jsonpath={.items[*]['metadata.name', 'status.phase']}" -f kubectl.yaml
