get pods -o custom-columns=NAME -f kubectl.yaml
