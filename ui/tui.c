/* placeholder until the TUI lands */
#include "config.h"
#include <stdio.h>
#include "../src/app.h"
#include "ui.h"
int ui_run(struct app *a) { (void)a; fprintf(stderr, "ramtop: TUI not built yet\n"); return 1; }
int ui_child_fd(void) { return -1; }
