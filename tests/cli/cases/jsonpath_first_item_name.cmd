get pods -o jsonpath={.items[0].metadata.name} -f kubectl.yaml
