get svc echo -n test -o yaml -f realdata/cilium-nodeport-k8s1.25.yaml
