"""The story and its workflow: the model, the signed actions and the rules of who may do what."""
