get pods -A -f hostile/list-item-brace.json
