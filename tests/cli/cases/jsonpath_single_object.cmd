get svc web -o jsonpath={.spec.clusterIP} -f kubectl.yaml
