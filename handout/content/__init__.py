"""Read and check the YAML: the content, its translations and the clinics."""
