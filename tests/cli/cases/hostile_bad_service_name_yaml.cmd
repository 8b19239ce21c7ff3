get pods -A -f hostile/bad-service-name.yaml
