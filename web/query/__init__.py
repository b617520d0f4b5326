"""Reading the request: the state in the query string, the page's own parameters, the kernel editor's and the
layer's forms and the quizzes' parameters; each read once into frozen values, every problem filed with its rule."""
