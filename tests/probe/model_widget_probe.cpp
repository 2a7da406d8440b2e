// Compiled with model/'s include path by the model_rejects_widgets test, which expects the
// build to FAIL: it proves a Qt Widgets include cannot creep into model/.
#include <QtWidgets/QWidget>

int probe() { return sizeof(QWidget); }
