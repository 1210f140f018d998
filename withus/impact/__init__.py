"""Impact (PRODUCT C7): what people said, the answers, the changes made, evaluations, surveys and stories."""
