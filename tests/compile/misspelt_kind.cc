// Must NOT compile: a reader of a record kind the data model does not have.
#include "core/field_reader.h"

int main() {
  const stream::Record record;
  const stream::FieldReader<"responses"> r(record);
  return 0;
}
