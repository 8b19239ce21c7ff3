get pods -A -f hostile/lone-comma.yaml
