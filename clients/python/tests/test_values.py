"""Offline tests: typing and labelling of rows, error text, URLs. No server needed."""

import datetime
import unittest

from stream_client import Client, StreamError
from stream_client.values import ValueProblem, convert, type_rows

FIELDS = [
    {"name": "disease", "type": "code", "codes": ["aml", "all"],
     "code_labels": {"aml": "Acute myeloid leukaemia (AML)", "all": "Acute lymphoblastic leukaemia (ALL)"}},
    {"name": "scope", "type": "codes", "codes": ["registry", "trial"],
     "code_labels": {"registry": "Registry", "trial": "Trial participation"}},
    {"name": "agents", "type": "codes"},
    {"name": "line_number", "type": "integer"},
    {"name": "anc", "type": "number"},
    {"name": "assessment_date", "type": "date"},
    {"name": "serious", "type": "boolean"},
    {"name": "regimen", "type": "text"},
]


class ConvertTest(unittest.TestCase):
    def test_csv_cells_are_typed(self):
        row = {"patient": "S-1", "disease": "aml", "scope": "registry;trial", "agents": "venetoclax;azacitidine",
               "line_number": "2", "anc": "1e-04", "assessment_date": "2025-03-09", "serious": "false",
               "regimen": "7+3"}
        [typed] = type_rows("x", FIELDS, [row], labels="none", from_csv=True)
        self.assertEqual(typed, {"patient": "S-1", "disease": "aml", "scope": ["registry", "trial"],
                                 "agents": ["venetoclax", "azacitidine"], "line_number": 2, "anc": 0.0001,
                                 "assessment_date": datetime.date(2025, 3, 9), "serious": False, "regimen": "7+3"})
        self.assertIs(type(typed["line_number"]), int)
        self.assertIs(type(typed["anc"]), float)

    def test_empty_csv_cell_is_none_but_empty_json_text_is_kept(self):
        self.assertIsNone(convert({"type": "text"}, "", from_csv=True))
        self.assertEqual(convert({"type": "text"}, ""), "")
        self.assertIsNone(convert({"type": "integer"}, None))

    def test_json_numbers(self):
        self.assertEqual(convert({"type": "integer"}, 3.0), 3)
        self.assertIs(type(convert({"type": "number"}, 57)), float)
        for bad in (3.5, True, "three"):
            with self.assertRaises(ValueProblem, msg=repr(bad)):
                convert({"name": "n", "type": "integer"}, bad)

    def test_bad_values_name_the_field_and_row(self):
        with self.assertRaisesRegex(ValueProblem, r"response export, row 2: field 'assessment_date' \(date\)"):
            type_rows("response", FIELDS, [{"assessment_date": "2025-01-01"}, {"assessment_date": "09/03/2025"}])
        with self.assertRaisesRegex(ValueProblem, "serious"):
            convert({"name": "serious", "type": "boolean"}, "maybe")

    def test_label_modes(self):
        row = {"patient": "S-1", "disease": "aml", "scope": ["trial", "unknown_scope"], "agents": ["venetoclax"]}
        [added] = type_rows("x", FIELDS, [row])
        self.assertEqual(list(added), ["patient", "disease", "disease_label", "scope", "scope_label", "agents"])
        self.assertEqual(added["disease"], "aml")
        self.assertEqual(added["disease_label"], "Acute myeloid leukaemia (AML)")
        self.assertEqual(added["scope_label"], ["Trial participation", "unknown_scope"])  # no label: the code
        [replaced] = type_rows("x", FIELDS, [row], labels="replace")
        self.assertEqual(replaced["disease"], "Acute myeloid leukaemia (AML)")
        self.assertNotIn("disease_label", replaced)
        [plain] = type_rows("x", FIELDS, [row], labels="none")
        self.assertEqual(plain["scope"], ["trial", "unknown_scope"])
        with self.assertRaises(ValueError):
            type_rows("x", FIELDS, [row], labels="both")

    def test_label_column_clash_is_refused(self):
        fields = FIELDS[:1] + [{"name": "disease_label", "type": "text"}]
        with self.assertRaisesRegex(ValueError, "disease_label"):
            type_rows("x", fields, [{"disease": "aml"}])


class ClientOfflineTest(unittest.TestCase):
    def test_urls(self):
        for base in ("http://h:1", "http://h:1/", "http://h:1/api/v1", "http://h:1/api/v1/"):
            c = Client(base, "stk_x")
            self.assertEqual(c.url("patients", limit=5, after=None), "http://h:1/api/v1/patients?limit=5")
            self.assertEqual(c.url("/api/v1/schema"), "http://h:1/api/v1/schema")
        self.assertEqual(Client("https://p.example/stream").url("/x", a=True), "https://p.example/stream/api/v1/x?a=true")
        for bad in ("h:1", "ftp://h", "", "http://h/?q=1"):
            with self.assertRaises(ValueError, msg=bad):
                Client(bad, "stk_x")
        with self.assertRaises(ValueError):
            Client("http://h").url("patients?limit=5")

    def test_from_env_names_what_is_missing(self):
        with self.assertRaisesRegex(ValueError, "STREAM_TOKEN"):
            Client.from_env(environ={"STREAM_URL": "http://h:1"})
        with self.assertRaisesRegex(ValueError, "STREAM_URL and STREAM_TOKEN"):
            Client.from_env(environ={})
        c = Client.from_env(environ={"STREAM_URL": "http://h:1/", "STREAM_TOKEN": "stk_x"})
        self.assertEqual(c.base_url, "http://h:1")
        self.assertNotIn("stk_x", repr(c))

    def test_error_text(self):
        e = StreamError("must be between 1 and 1000", status=422, code="invalid_argument", where="limit",
                        request_id="d8d8", url="http://h/api/v1/patients?limit=0")
        self.assertEqual(str(e), "422 invalid_argument: must be between 1 and 1000 "
                                 "(where: limit; request_id: d8d8; GET http://h/api/v1/patients?limit=0)")
        self.assertEqual(str(StreamError("plain")), "plain")

    def test_paging_arguments_are_checked_before_any_request(self):
        c = Client("http://127.0.0.1:9", "stk_x")  # nothing listens: a request would fail differently
        with self.assertRaises(TypeError):
            next(c.patients(limit=10))
        with self.assertRaises(TypeError):
            next(c.records("diagnosis", after=3))
        for size in (0, 1001, "10"):
            with self.assertRaises(ValueError):
                next(c.enrolments("p", page_size=size))


if __name__ == "__main__":
    unittest.main()
