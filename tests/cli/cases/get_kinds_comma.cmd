get pods,svc -f kubectl.yaml
