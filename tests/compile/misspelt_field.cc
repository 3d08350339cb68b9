// Must NOT compile: the history reader names a field the data model does not have
// (tests/CMakeLists.txt checks the compiler's message). Issue #14: a misspelt field is an
// error where it is written, never a silent null.
#include "core/field_reader.h"

int main() {
  const stream::Record record;
  const stream::FieldReader<"response"> r(record);
  return r.Num("marow_blasts").has_value() ? 1 : 0;
}
