# sam build calls `make build-<Function>` for each function of template.yaml (BuildMethod:
# makefile), in the repository itself (samconfig.toml: build_in_source). Every function runs the
# same binary, so the first call compiles and links it and the others find it built.
BOOTSTRAP := target/lambda/bootstrap/bootstrap

.PHONY: lambda
lambda:
	./infra/build-lambda.sh

build-%Function: lambda
	cp $(BOOTSTRAP) $(ARTIFACTS_DIR)/bootstrap
