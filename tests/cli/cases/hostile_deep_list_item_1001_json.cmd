get pods -A -f hostile/deep-list-item-1001.json
