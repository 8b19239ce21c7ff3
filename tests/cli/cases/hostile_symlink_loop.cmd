get pods -A -f hostile/loop.yaml
