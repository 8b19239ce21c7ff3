describe services/api -f kubectl.yaml
