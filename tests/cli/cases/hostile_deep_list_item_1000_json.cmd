get pods -A -f hostile/deep-list-item-1000.json
