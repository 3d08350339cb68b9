#include "app/stream_main.h"

int main(int argc, char** argv) { return stream::app::StreamMain(argc, argv); }
