describe nodes -f kubectl.yaml
