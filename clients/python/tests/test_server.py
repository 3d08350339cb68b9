"""Tests against a real `stream serve` with a synthetic registry (started by run-tests.sh).

Environment (set by run-tests.sh):
  STREAM_URL                 the server, e.g. http://127.0.0.1:40123
  STREAM_TOKEN               an API token of the statistician (statistician.demo)
  STREAM_DM_TOKEN            an API token of the central data manager (data_manager.demo)
  STREAM_EXPECT_PATIENTS     how many patients `stream demo generate` made
  STREAM_EXPECT_ENROLMENTS   protocol=count,... as `stream demo generate` reported them
"""

import contextlib
import datetime
import io
import os
import re
import socket
import unittest

import stream_client
from stream_client import Client, StreamConnectionError, StreamError

REQUEST_ID = re.compile(r"^[0-9a-f]{8,}$")
PYTHON_TYPES = {"integer": int, "number": float, "date": datetime.date, "boolean": bool, "code": str,
                "codes": list, "text": str}


def setUpModule():
    missing = [v for v in ("STREAM_URL", "STREAM_TOKEN", "STREAM_DM_TOKEN", "STREAM_EXPECT_PATIENTS",
                           "STREAM_EXPECT_ENROLMENTS") if not os.environ.get(v)]
    if missing:
        raise RuntimeError(f"these tests need a server: run clients/python/run-tests.sh (missing {missing})")


def statistician():
    return Client.from_env()


def data_manager():
    return Client(os.environ["STREAM_URL"], os.environ["STREAM_DM_TOKEN"])


def expected_enrolments():
    pairs = (p.split("=") for p in os.environ["STREAM_EXPECT_ENROLMENTS"].split(",") if p)
    return {protocol: int(count) for protocol, count in pairs}


class PagingTest(unittest.TestCase):
    def setUp(self):
        self.client = data_manager()

    def test_patients_across_pages_equal_one_big_page_and_the_registry_count(self):
        paged = list(self.client.patients(page_size=7))
        whole = self.client.get("patients", limit=1000)
        self.assertIsNone(whole["next_after"], "the test registry must fit in one page of 1000")
        expected = int(os.environ["STREAM_EXPECT_PATIENTS"])
        self.assertGreater(expected, 7 * 2, "the page size must force several pages")
        self.assertEqual(len(paged), expected)
        self.assertEqual(paged, whole["items"])
        ids = [p["id"] for p in paged]
        self.assertEqual(ids, sorted(set(ids)), "ids in order, none repeated")
        self.assertEqual(self.client.get("registry/dashboard")["patients"], expected)
        # the default page size (1000) reads the same patients in one request
        self.assertEqual([p["id"] for p in self.client.patients()], ids)

    def test_patients_filters_are_passed_on(self):
        site = "IT-FO-01"
        at_site = list(self.client.patients(page_size=3, site=site))
        self.assertTrue(at_site)
        self.assertTrue(all(p["site"] == site for p in at_site))
        everyone = list(self.client.patients())
        self.assertEqual(len(at_site), sum(1 for p in everyone if p["site"] == site))

    def test_records_across_pages(self):
        paged = list(self.client.records("diagnosis", page_size=9))
        whole = self.client.get("records/diagnosis", limit=1000)["items"]
        self.assertGreater(len(whole), 9)
        self.assertEqual(paged, whole)
        self.assertEqual(len(paged), len(self.client.export("diagnosis")))
        first = paged[0]["patient_id"]
        own = list(self.client.patient_records(first, "diagnosis", page_size=1))
        self.assertEqual(own, [r for r in paged if r["patient_id"] == first])

    def test_enrolments_across_pages(self):
        client = statistician()
        expected = expected_enrolments()
        self.assertTrue(any(n > 2 for n in expected.values()), f"no protocol with enough enrolments: {expected}")
        for protocol, count in expected.items():
            paged = list(client.enrolments(protocol, page_size=2))
            self.assertEqual(len(paged), count, protocol)
            self.assertEqual(paged, client.get(f"protocols/{protocol}/enrolments", limit=1000)["items"], protocol)
            self.assertTrue(all(e["patient"].startswith("S-") for e in paged), "statisticians see study pseudonyms")


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = statistician()
        cls.schema = cls.client.schema()

    def test_known_codes_get_their_labels(self):
        rows = self.client.export("diagnosis", study="registry")
        aml = [r for r in rows if r["disease"] == "aml"]
        self.assertTrue(aml, "the demo registry has AML patients")
        self.assertEqual({r["disease_label"] for r in aml}, {"Acute myeloid leukaemia (AML)"})
        responses = self.client.export("response", study="registry")
        cr = [r for r in responses if r["eln2022_category"] == "cr"]
        self.assertTrue(cr)
        self.assertEqual({r["eln2022_category_label"] for r in cr}, {"Complete remission (CR)"})
        replaced = self.client.export("response", study="registry", labels="replace")
        self.assertEqual(sum(r["eln2022_category"] == "Complete remission (CR)" for r in replaced), len(cr))
        self.assertFalse(any(k.endswith("_label") for r in replaced for k in r))
        plain = self.client.export("response", study="registry", labels="none")
        self.assertEqual([r["eln2022_category"] for r in plain], [r["eln2022_category"] for r in responses])
        self.assertFalse(any(k.endswith("_label") for r in plain for k in r))

    def test_code_sets_get_lists_of_labels(self):
        rows = self.client.export("consent", study="registry")
        self.assertTrue(rows)
        for r in rows:
            self.assertIsInstance(r["scope"], list)
            self.assertEqual(len(r["scope_label"]), len(r["scope"]))
        with_registry = [r for r in rows if "registry" in r["scope"]]
        self.assertTrue(with_registry)
        for r in with_registry:
            self.assertEqual(r["scope_label"][r["scope"].index("registry")], "Registry")

    def test_every_exported_code_has_a_label_from_the_schema(self):
        for kind in self.schema["kinds"]:
            rows = self.client.export(kind["name"], study="registry")
            for f in kind["fields"]:
                labels = f.get("code_labels")
                if f["type"] not in ("code", "codes") or not labels:
                    continue
                for r in rows:
                    code, shown = r[f["name"]], r[f["name"] + "_label"]
                    if code is None:
                        self.assertIsNone(shown)
                    elif isinstance(code, list):
                        self.assertEqual(shown, [labels[c] for c in code], f"{kind['name']}.{f['name']}")
                    else:
                        self.assertIn(code, labels, f"{kind['name']}.{f['name']}: code without a label")
                        self.assertEqual(shown, labels[code])

    def test_values_are_typed_by_the_schema(self):
        seen = set()
        for kind in self.schema["kinds"]:
            rows = self.client.export(kind["name"], study="registry")
            for r in rows:
                for f in kind["fields"]:
                    if "statistician" not in f["seen_by"]:
                        # a quasi-identifier: left out of a statistician's rows, not null
                        self.assertNotIn(f["name"], r, f"{kind['name']}.{f['name']}")
                        continue
                    value = r[f["name"]]
                    if value is None:
                        continue
                    expected = PYTHON_TYPES[f["type"]]
                    self.assertIs(type(value), expected, f"{kind['name']}.{f['name']} = {value!r}")
                    if f["type"] == "codes":
                        self.assertTrue(all(type(c) is str for c in value))
                    seen.add(f["type"])
        self.assertEqual(seen, set(PYTHON_TYPES), "every type of the data model met at least once")
        # spot checks on known fields
        patients = self.client.export("patient", study="registry")
        self.assertTrue(all(1900 <= p["birth_year"] <= 2100 for p in patients))
        self.assertTrue(all(type(p["registered_on"]) is datetime.date for p in patients))
        lines = self.client.export("treatment_line", study="registry")
        self.assertTrue(all(type(t["line_number"]) is int and type(t["agents"]) is list for t in lines))

    def test_csv_and_json_exports_give_the_same_rows(self):
        for kind in ("patient", "response", "consent", "treatment_line", "adverse_event"):
            from_json = self.client.export(kind, study="registry")
            from_csv = self.client.export(kind, study="registry", format="csv")
            self.assertEqual(len(from_json), len(from_csv), kind)
            self.assertTrue(from_json, kind)
            for j, c in zip(from_json, from_csv):
                self.assertEqual({k: v for k, v in j.items() if k in c}, c, kind)

    def test_study_keys_the_pseudonyms(self):
        a = {r["patient"] for r in self.client.export("diagnosis", study="registry")}
        b = {r["patient"] for r in self.client.export("diagnosis", study="rr-aml-platform")}
        self.assertEqual(len(a), len(b))
        self.assertFalse(a & b, "pseudonyms of different studies must not link")

    def test_codebook(self):
        rows = self.client.codebook()
        sex = [r for r in rows if r["kind"] == "patient" and r["field"] == "sex"]
        self.assertEqual(len(sex), 1)
        self.assertIn("male=Male", sex[0]["code_labels"])
        self.assertEqual({r["kind"] for r in rows}, {k["name"] for k in self.schema["kinds"]})

    def test_export_text_is_the_servers_csv(self):
        text = self.client.export_text("diagnosis", study="registry")
        header = text.splitlines()[0].split(",")
        self.assertEqual(header[0], "patient")
        self.assertEqual(header[1:], [f["name"] for f in self.client.fields("diagnosis")])


class ErrorTest(unittest.TestCase):
    def assertStreamError(self, e, status, code):
        self.assertEqual((e.status, e.code), (status, code), str(e))
        self.assertRegex(e.request_id or "", REQUEST_ID)
        self.assertTrue(e.message)
        text = str(e)
        for part in (str(status), code, e.message, e.request_id, e.url):
            self.assertIn(part, text)

    def test_404(self):
        with self.assertRaises(StreamError) as caught:
            data_manager().get("patients/999999")
        self.assertStreamError(caught.exception, 404, "not_found")
        self.assertIn("/api/v1/patients/999999", caught.exception.url)
        with self.assertRaises(StreamError) as caught:
            statistician().export_text("no_such_kind", study="registry")
        self.assertStreamError(caught.exception, 404, "not_found")
        self.assertEqual(caught.exception.where, "kind")

    def test_403(self):
        with self.assertRaises(StreamError) as caught:
            list(statistician().patients())
        self.assertStreamError(caught.exception, 403, "permission_denied")
        self.assertIn("statistician", caught.exception.message)

    def test_401_bad_or_missing_token(self):
        for token in ("stk_not-a-real-token", None):
            with self.assertRaises(StreamError) as caught:
                Client(os.environ["STREAM_URL"], token).schema()
            self.assertStreamError(caught.exception, 401, "unauthenticated")

    def test_422_names_the_field(self):
        with self.assertRaises(StreamError) as caught:
            data_manager().get("patients", limit=0)
        self.assertStreamError(caught.exception, 422, "invalid_argument")
        self.assertEqual(caught.exception.where, "limit")
        self.assertIn("where: limit", str(caught.exception))
        with self.assertRaises(StreamError) as caught:
            statistician().export("response")  # statisticians must name the study
        self.assertStreamError(caught.exception, 422, "invalid_argument")
        self.assertEqual(caught.exception.where, "study")

    def test_unknown_kind_is_refused_before_asking(self):
        with self.assertRaisesRegex(ValueError, "no kind 'responses'.*response"):
            statistician().export("responses", study="registry")

    def test_network_error_names_the_url(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"http://127.0.0.1:{port}"  # closed again: nothing listens there
        with self.assertRaises(StreamConnectionError) as caught:
            Client(url, "stk_x", timeout=5).schema()
        e = caught.exception
        self.assertIsInstance(e, StreamError)
        self.assertIsNone(e.status)
        self.assertEqual(e.url, url + "/api/v1/schema")
        self.assertIn(url + "/api/v1/schema", str(e))
        self.assertIsNotNone(e.__cause__)


class ReadmeTest(unittest.TestCase):
    def test_the_five_line_example_runs(self):
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        example = re.search(r"^## Example\n\n```python\n(.*?)^```", text, re.S | re.M)
        self.assertIsNotNone(example, "README.md has an Example section with a python block")
        code = example.group(1)
        self.assertEqual(len(code.splitlines()), 5, "the example is exactly five lines")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md example", "exec"), {})
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 5)
        self.assertTrue(all(re.match(r"^S-[0-9a-f]{16} \d{4}-\d{2}-\d{2} ", line) for line in lines), lines)


class InstallTest(unittest.TestCase):
    def test_the_package_under_test_is_the_expected_one(self):
        where = os.environ.get("STREAM_CLIENT_EXPECT_FROM")
        self.assertTrue(where, "run-tests.sh says where the package must come from")
        self.assertTrue(os.path.realpath(stream_client.__file__).startswith(os.path.realpath(where)),
                        f"stream_client imported from {stream_client.__file__}, expected under {where}")
        self.assertRegex(stream_client.__version__, r"^\d+\.\d+\.\d+$")


if __name__ == "__main__":
    unittest.main()
