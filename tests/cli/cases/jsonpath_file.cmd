get pods -o jsonpath-file=templates/pods.jsonpath -f kubectl.yaml
