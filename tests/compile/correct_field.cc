// Must compile: the control for misspelt_field.cc, the same read spelt right.
#include "core/field_reader.h"

int main() {
  const stream::Record record;
  const stream::FieldReader<"response"> r(record);
  return r.Num("marrow_blasts").has_value() ? 1 : 0;
}
