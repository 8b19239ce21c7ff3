get endpointslices -A -f realdata/cilium-dualstack-k8s1.24-NOPODS.yaml
