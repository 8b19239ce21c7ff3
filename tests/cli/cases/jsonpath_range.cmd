get pods -o 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIPs[0].ip}{"\\n"}{end}' -f kubectl.yaml
