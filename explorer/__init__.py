"""Deep Learning Explorer: the first deep-learning lecture as things you can move."""
