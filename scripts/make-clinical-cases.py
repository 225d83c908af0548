#!/usr/bin/env python3
"""Writes samples/cases/*.request.json: the worked cases C1-C10 of BMES-RULES.md, the engine's own cases X01-X25 and the
cases of contract version 2 (BMES-RULES.md section 7a), V2-C1-... to V2-C7-..., each named for the clause it shows.

Dates are absolute, computed back from the golden-test clock 2026-11-28T12:00:00Z. Run from anywhere; rewrites the files.
The expected cards live in tests/BmesCds.Clinical.Tests (WorkedCaseTests, MoreCaseTests) and in the host's golden files.
"""
import base64
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
FHIR = "http://127.0.0.1:8190/fhir"
SCT = "http://snomed.info/sct"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
FINDING = "https://bmes-cds.org/fhir/CodeSystem/bmes-imaging-finding"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "cases")


def ago(days):
    return (NOW - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(days):
    return (NOW - timedelta(days=days)).strftime("%Y-%m-%d")


def cc(system, code, display, text=None):
    concept = {"coding": [{"system": system, "code": code, "display": display}]}
    if text:
        concept["text"] = text
    return concept


HIP = cc(SCT, "24136001", "Hip joint")
KNEE = cc(SCT, "49076000", "Knee joint")
LEFT = cc(SCT, "7771000", "Left")
RIGHT = cc(SCT, "24028007", "Right")


def patient(pid, gender, age):
    return {"resourceType": "Patient", "id": pid, "gender": gender, "birthDate": f"{NOW.year - age}-03-15"}


def condition(cid, pid, concept, onset_days=None, body_site=None, clinical="active", verification="confirmed"):
    resource = {
        "resourceType": "Condition", "id": cid,
        "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical, clinical.capitalize()),
        "verificationStatus": cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, verification.capitalize()),
        "code": concept, "subject": {"reference": f"Patient/{pid}"},
    }
    if body_site:
        resource["bodySite"] = body_site
    if onset_days is not None:
        resource["onsetDateTime"] = day(onset_days)
    resource["recordedDate"] = day(onset_days if onset_days is not None else 400)
    return resource


def lab(oid, pid, loinc, display, value, unit, ucum, days, interpretation=None, high=None, effective=None):
    resource = {
        "resourceType": "Observation", "id": oid, "status": "final",
        "category": [cc("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")],
        "code": cc(LOINC, loinc, display), "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": effective or ago(days),
        # A unit without a UCUM code is the unit as the lab wrote it (e.g. "mg%").
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": ucum} if ucum else {"value": value, "unit": unit},
    }
    if interpretation:
        resource["interpretation"] = [cc("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", interpretation,
                                         {"H": "High", "N": "Normal", "L": "Low"}[interpretation])]
    if high is not None:
        resource["referenceRange"] = [{"high": {"value": high, "unit": unit, "system": "http://unitsofmeasure.org", "code": ucum}}]
    return resource


def crp(oid, pid, value, days, unit="mg/L", interpretation=None):
    return lab(oid, pid, "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", value, unit, unit, days, interpretation)


def esr(oid, pid, value, days, interpretation=None):
    return lab(oid, pid, "4537-7", "Erythrocyte sedimentation rate by Westergren method", value, "mm/h", "mm/h", days, interpretation)


def report(rid, pid, concept, days, conclusion=None, conclusion_code=None, study=None, status="final", effective=None, forms=None):
    resource = {
        "resourceType": "DiagnosticReport", "id": rid, "status": status,
        "category": [cc("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")],
        "code": concept, "subject": {"reference": f"Patient/{pid}"},
    }
    # An explicit effective date (a date only, or a partial date) comes without an issued instant that would blur it.
    resource.update({"effectiveDateTime": effective} if effective else {"effectiveDateTime": ago(days), "issued": ago(days)})
    if forms:
        resource["presentedForm"] = forms
    if study:
        resource["imagingStudy"] = [{"reference": f"ImagingStudy/{study}"}]
    if conclusion:
        resource["conclusion"] = conclusion
    if conclusion_code:
        resource["conclusionCode"] = [conclusion_code]
    return resource


def study(sid, pid, modality, description, days, body_site=None, laterality=None):
    series = {"uid": f"2.25.{uuid.uuid5(uuid.NAMESPACE_URL, sid).int}", "modality": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": modality}}
    if body_site:
        series["bodySite"] = body_site["coding"][0]
    if laterality:
        series["laterality"] = laterality["coding"][0]
    return {"resourceType": "ImagingStudy", "id": sid, "status": "available", "subject": {"reference": f"Patient/{pid}"},
            "started": ago(days), "description": description, "series": [series]}


def order(oid, pid, concept, reason=None, body_site=None, intent="order", status="draft", reason_ref=None):
    resource = {"resourceType": "ServiceRequest", "id": oid, "status": status, "intent": intent, "code": concept,
                "subject": {"reference": f"Patient/{pid}"}, "authoredOn": ago(0)}
    if reason:
        resource["reasonCode"] = reason
    if reason_ref:
        resource["reasonReference"] = [{"reference": reason_ref}]
    if body_site:
        resource["bodySite"] = body_site
    return resource


def form(content_type, text):
    """A presentedForm with the report text inline, as EHRs send it."""
    return {"contentType": content_type, "data": base64.b64encode(text.encode("utf-8")).decode("ascii")}


def medication(mid, concept):
    return {"resourceType": "Medication", "id": mid, "code": concept}


def med_request(mid, pid, drug, days, status="active"):
    resource = {"resourceType": "MedicationRequest", "id": mid, "status": status, "intent": "order",
                "subject": {"reference": f"Patient/{pid}"}, "authoredOn": day(days)}
    resource.update(drug)
    return resource


def med_statement(mid, pid, drug, days, status="completed"):
    resource = {"resourceType": "MedicationStatement", "id": mid, "status": status,
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": day(days)}
    resource.update(drug)
    return resource


def med_administration(mid, pid, drug, days, route=None, contained=None):
    resource = {"resourceType": "MedicationAdministration", "id": mid, "status": "completed",
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": ago(days)}
    if contained:
        resource["contained"] = contained
    resource.update(drug)
    if route:
        # mad-1: a dosage has a dose or a rate.
        resource["dosage"] = {"route": route, "dose": {"value": 40, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}
    return resource


def coded(concept):
    return {"medicationCodeableConcept": concept}


def ref(reference, display=None):
    target = {"reference": reference}
    if display:
        target["display"] = display
    return {"medicationReference": target}


def searchset(kind, pid, resources):
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "link": [{"relation": "self", "url": f"{FHIR}/{kind}?patient={pid}"}],
            "entry": [{"fullUrl": f"{FHIR}/{r['resourceType']}/{r['id']}", "resource": r,
                       "search": {"mode": "include" if r["resourceType"] == "Medication" else "match"}} for r in resources]}


def is_imaging(resource):
    return any(coding.get("code") == "imaging" for category in resource.get("category", []) for coding in category.get("coding", []))


# Every key of the discovery prefetch templates, so the samples are complete prefetch (no fetch needed);
# Observations split as the templates split them: labs by code, imaging results by category.
KEYS = [("conditions", "Condition", None), ("observations", "Observation", lambda r: not is_imaging(r)),
        ("imagingObservations", "Observation", is_imaging), ("imagingStudies", "ImagingStudy", None),
        ("diagnosticReports", "DiagnosticReport", None), ("serviceRequests", "ServiceRequest", None),
        ("medicationRequests", "MedicationRequest", None), ("medicationStatements", "MedicationStatement", None),
        ("medicationAdministrations", "MedicationAdministration", None)]


def included(kind, record, resources):
    """The Medications of the record that these resources reference, as `_include=<kind>:medication` returns them."""
    wanted = {r.get("medicationReference", {}).get("reference") for r in resources}
    return [m for m in record if m["resourceType"] == "Medication" and f"Medication/{m['id']}" in wanted]



# Each sample patient is named after its case, so a tester sees what the patient shows (the CDS Hooks sandbox puts the
# name in its banner; `scripts/demo.sh` lists them): given = the case id, family = the case title in words, e.g.
# "C1" "CT after normal left hip X-ray". `use: anonymous` marks the name as made up. New cases get one automatically.
WORDS = {"ct": "CT", "mri": "MRI", "xray": "X-ray", "crp": "CRP", "esr": "ESR", "wbc": "WBC", "sle": "SLE", "cpt": "CPT",
         "snomed": "SNOMED", "dl": "dL", "ul": "uL"}


def case_name(name):
    case, _, title = name.partition("-")
    words = " ".join(WORDS.get(word, word) for word in title.split("-"))
    family = words[:1].upper() + words[1:]
    return {"use": "anonymous", "text": f"{case} {family}", "family": family, "given": [case]}


def named(pat, name):
    if "name" in pat:
        return pat
    rest = {key: value for key, value in pat.items() if key not in ("resourceType", "id")}
    return {"resourceType": pat["resourceType"], "id": pat["id"], "name": [case_name(name)], **rest}


def request(name, hook, pat, record, drafts=None, selections=None, encounter=None, note=None, fhir_server=True):
    pat = named(pat, name)
    pid = pat["id"]
    context = {"userId": "Practitioner/example", "patientId": pid}
    if encounter:
        context["encounterId"] = encounter
    if hook == "order-select":
        context["selections"] = selections if selections is not None else [f"ServiceRequest/{drafts[0]['id']}"]
    if hook in ("order-select", "order-sign"):
        context["draftOrders"] = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in drafts]}
    prefetch = {"patient": pat}
    for key, kind, keep in KEYS:
        resources = [r for r in record if r["resourceType"] == kind and (keep is None or keep(r))]
        prefetch[key] = searchset(kind, pid, resources + included(kind, record, resources))
    body = {"hook": hook, "hookInstance": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://bmes-cds.org/samples/cases/{name}"))}
    if fhir_server:
        body["fhirServer"] = FHIR
    body.update({"context": context, "prefetch": prefetch})
    if note:
        # A CDS Hooks extension (section "Extensions" of the spec): what the case shows, for the reader of the sample.
        body["extension"] = {"org.bmes-cds.sample-note": note}
    with open(os.path.join(OUT, f"{name}.request.json"), "w", encoding="utf-8") as out:
        json.dump(body, out, indent=2, ensure_ascii=False)
        out.write("\n")


# Codes used across cases.
PAIN_L_HIP = cc(ICD, "M25.552", "Pain in left hip")
PAIN_R_HIP = cc(ICD, "M25.551", "Pain in right hip")
XR_HIP_L = cc(LOINC, "26131-3", "XR Hip - left Views")
XR_HIP_R = cc(LOINC, "26132-1", "XR Hip - right Views")
XR_KNEE = cc(LOINC, "30788-4", "XR Knee 3 Views")
HIP_XR_NORMAL = cc(SCT, "168661005", "Plain X-ray of hip joint normal")
KNEE_XR_NORMAL = cc(SCT, "168667009", "Plain X-ray of knee normal")
CT_HIP_L = cc(LOINC, "36487-7", "CT Hip - left WO contrast")
CT_HIP_R = cc(LOINC, "36489-3", "CT Hip - right WO contrast")
MR_HIP_L = cc(LOINC, "36488-5", "MR Hip - left WO contrast")
MR_HIP_R = cc(LOINC, "36490-1", "MR Hip - right WO contrast")


# The note of the samples whose card detail changed with contract version 2, clause C2.
V2_SIDE_NOTE = "C2 (contract version 2): the {what} records no side; it still counts, and the card now says the side was not recorded."


def normal_left_hip_xray(p, days=21):
    return report(f"{p}-xr", p, XR_HIP_L, days, "Normal left hip. No fracture.", HIP_XR_NORMAL)


def normal_right_hip_xray(p, days=10):
    return report(f"{p}-xr", p, XR_HIP_R, days, "Normal right hip.", HIP_XR_NORMAL)


def main():
    os.makedirs(OUT, exist_ok=True)
    # --- The worked cases of BMES-RULES.md section 8 ---
    p = "c1"
    request("C1-ct-after-normal-left-hip-xray", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21),
        crp(f"{p}-crp", p, 3, 10, interpretation="N"), esr(f"{p}-esr", p, 8, 10, interpretation="N")],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "c2"
    request("C2-first-right-hip-xray", "order-select", patient(p, "male", 38), [
        condition(f"{p}-pain", p, cc(SCT, "49218002", "Pain of hip region"), 14, body_site=[RIGHT])],
        [order("xr-hip-right", p, XR_HIP_R)])
    p = "c3"
    request("C3-pregnant-pelvis-xray", "order-select", patient(p, "female", 33), [
        condition(f"{p}-pregnancy", p, cc(SCT, "77386006", "Pregnancy", "Pregnancy, 34 weeks"), 238),
        condition(f"{p}-pain", p, PAIN_L_HIP, 21)],
        [order("xr-pelvis-hip", p, cc(LOINC, "30767-8", "XR Pelvis and Hip Views"))])
    p = "c4"
    request("C4-mri-already-in-draft-orders", "order-select", patient(p, "male", 51), [
        condition(f"{p}-alcohol", p, cc(SCT, "66590003", "Alcohol dependence"), 900),
        condition(f"{p}-pain", p, PAIN_L_HIP, 30), normal_left_hip_xray(p, 14)],
        [order("ct-hip-left", p, CT_HIP_L), order("mr-hip-left", p, MR_HIP_L)], selections=["ServiceRequest/ct-hip-left"])
    p = "c5"
    request("C5-fever-and-high-crp", "order-select", patient(p, "male", 40), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 10), condition(f"{p}-fever", p, cc(SCT, "386661006", "Fever"), 3),
        crp(f"{p}-crp", p, 140, 2, interpretation="H")],
        [order("mr-hip-left", p, MR_HIP_L)])
    p = "c6"
    request("C6-repeat-knee-xray-after-normal", "order-select", patient(p, "male", 36), [
        condition(f"{p}-pain", p, cc(ICD, "M25.562", "Pain in left knee"), 28),
        report(f"{p}-xr", p, XR_KNEE, 14, "Normal knee.", KNEE_XR_NORMAL)],
        [order("xr-knee", p, XR_KNEE)], note=V2_SIDE_NOTE.format(what="knee X-ray"))
    p = "c7"
    request("C7-sle-steroids-contrast-hip-mri", "order-select", patient(p, "male", 47), [
        condition(f"{p}-sle", p, cc(SCT, "55464009", "Systemic lupus erythematosus"), 1500),
        condition(f"{p}-steroids", p, cc(ICD, "Z79.52", "Long term (current) use of systemic steroids"), 700),
        condition(f"{p}-pain", p, PAIN_R_HIP, 42), normal_right_hip_xray(p, 7)],
        [order("mr-hip-wo-w", p, cc(LOINC, "30688-6", "MR Hip WO and W contrast"))])
    p = "c8"
    request("C8-pacemaker-ct-right-hip", "order-select", patient(p, "male", 45), [
        condition(f"{p}-pacemaker", p, cc(ICD, "Z95.0", "Presence of cardiac pacemaker"), 2000),
        condition(f"{p}-pain", p, PAIN_R_HIP, 21), normal_right_hip_xray(p, 10)],
        [order("ct-hip-right", p, CT_HIP_R)])
    p = "c9"
    request("C9-marrow-edema-mri-no-risk-factors", "patient-view", patient(p, "male", 42), [
        condition(f"{p}-pain", p, PAIN_R_HIP, 70),
        study(f"{p}-mri", p, "MR", "MRI right hip without contrast", 21, HIP, RIGHT),
        report(f"{p}-mri-report", p, MR_HIP_R, 21,
               "Diffuse bone marrow edema of the femoral head and neck, no band, no subchondral fracture.", study=f"{p}-mri")])
    p = "c10"
    request("C10-crescent-sign-right-hip", "patient-view", patient(p, "female", 58), [
        condition(f"{p}-pain", p, PAIN_R_HIP, 75),
        report(f"{p}-xr", p, XR_HIP_R, 61, "Crescent sign right femoral head.")])

    # --- The engine's own cases ---
    p = "x01"
    request("X01-snomed-hip-pain-ct-after-normal-xray", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, cc(SCT, "49218002", "Pain of hip region"), 35, body_site=[HIP, LEFT]), normal_left_hip_xray(p, 21)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x02"
    request("X02-side-mismatch-left-pain-right-ct", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21)],
        [order("ct-hip-right", p, CT_HIP_R)])
    p = "x03"
    request("X03-bilateral-hip-pain-patient-view", "patient-view", patient(p, "male", 41), [
        condition(f"{p}-pain-right", p, PAIN_R_HIP, 30), condition(f"{p}-pain-left", p, PAIN_L_HIP, 30),
        report(f"{p}-xr", p, cc(LOINC, "26130-5", "XR Hip - bilateral Views"), 20, "Both hips unremarkable.")], encounter="x03-visit")
    p = "x04"
    request("X04-ankle-ct-after-normal-xray", "order-select", patient(p, "female", 39), [
        condition(f"{p}-pain", p, cc(ICD, "M25.571", "Pain in right ankle and joints of right foot"), 30),
        report(f"{p}-xr", p, cc(LOINC, "30779-3", "XR Ankle AP and Lateral"), 15, "No acute fracture. Normal ankle.")],
        [order("ct-ankle-right", p, cc(LOINC, "36428-1", "CT Ankle - right WO contrast"))], note=V2_SIDE_NOTE.format(what="ankle X-ray"))
    p = "x05"
    sandbox_order = order("example-request-id", p, cc(CPT, "73700", "Computed tomography, lower extremity; without contrast material",
                                                      "Computed tomography, lower extremity; without contrast material"),
                          reason=[cc(SCT, "30989003", "Knee pain (finding)", "Knee pain (finding)")], intent="plan")
    request("X05-sandbox-cpt-ct-with-knee-pain-reason", "order-select", patient(p, "female", 45), [
        condition(f"{p}-pain", p, cc(SCT, "30989003", "Knee pain"), 30),
        report(f"{p}-xr", p, XR_KNEE, 10, None, KNEE_XR_NORMAL)],
        [sandbox_order], note=V2_SIDE_NOTE.format(what="knee pain condition and the knee X-ray"))
    p = "x06"
    request("X06-crp-in-mg-dl-high", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21), crp(f"{p}-crp", p, 2.5, 5, unit="mg/dL")],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x07"
    request("X07-crp-in-mg-dl-normal", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21),
        crp(f"{p}-crp", p, 0.4, 5, unit="mg/dL"), esr(f"{p}-esr", p, 10, 5)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x08"
    request("X08-missing-labs", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21)],
        [order("bone-scan", p, cc(CPT, "78315", "Bone and/or joint imaging; 3 phase study"), body_site=[HIP, LEFT])])
    p = "x09"
    request("X09-resolved-hip-pain", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35, clinical="resolved"), normal_left_hip_xray(p, 21)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x10"
    request("X10-refuted-fever-does-not-silence", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21),
        condition(f"{p}-fever", p, cc(SCT, "386661006", "Fever"), 3, verification="refuted")],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x11"
    record = [condition(f"{p}-pain", p, PAIN_R_HIP, 20)]
    record.append({"resourceType": "Observation", "id": f"{p}-pregnancy", "status": "final", "code": cc(LOINC, "82810-3", "Pregnancy status"),
                   "subject": {"reference": f"Patient/{p}"}, "effectiveDateTime": ago(5), "valueCodeableConcept": cc(LOINC, "LA15173-0", "Pregnant")})
    request("X11-pregnant-contrast-hip-mri", "order-select", patient(p, "female", 31), record,
            [order("mr-hip-contrast", p, cc(CPT, "73723", "MRI any joint of lower extremity; without contrast material(s), followed by contrast material(s)"),
                   body_site=[HIP, RIGHT])])
    p = "x12"
    request("X12-osteonecrosis-of-the-other-hip", "order-select", patient(p, "male", 50), [
        condition(f"{p}-on-left", p, cc(ICD, "M87.052", "Idiopathic aseptic necrosis of left femur"), 400),
        condition(f"{p}-pain", p, PAIN_R_HIP, 30), normal_right_hip_xray(p, 10)],
        [order("ct-hip-right", p, CT_HIP_R)])
    p = "x13"
    request("X13-order-sign-over-several-drafts", "order-sign", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21)],
        [order("ct-hip-left", p, CT_HIP_L), order("mr-knee-left", p, cc(LOINC, "36508-0", "MR Knee - left WO contrast")),
         order("cbc", p, cc(LOINC, "58410-2", "CBC panel - Blood by Automated count"))])
    p = "x14"
    request("X14-patient-view-without-pain", "patient-view", patient(p, "female", 62), [
        condition(f"{p}-sle", p, cc(SCT, "55464009", "Systemic lupus erythematosus"), 1500), crp(f"{p}-crp", p, 2, 20)])
    p = "x15"
    request("X15-patient-view-normal-knee-xray", "patient-view", patient(p, "male", 35), [
        condition(f"{p}-pain", p, cc(ICD, "M25.562", "Pain in left knee"), 30),
        report(f"{p}-xr", p, XR_KNEE, 20, None, KNEE_XR_NORMAL)], note=V2_SIDE_NOTE.format(what="knee X-ray"))
    p = "x16"
    request("X16-child-ct-hip", "order-select", patient(p, "male", 15), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x17"
    request("X17-artificial-left-hip", "order-select", patient(p, "female", 70), [
        condition(f"{p}-tha", p, cc(ICD, "Z96.642", "Presence of left artificial hip joint"), 1000),
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x18"
    record = [condition(f"{p}-pain", p, PAIN_L_HIP, 50),
              study(f"{p}-mri", p, "MR", "MRI left hip", 20, HIP, LEFT),
              report(f"{p}-mri-report", p, MR_HIP_L, 20, "Bone marrow edema pattern of the left femoral head. No subchondral fracture.", study=f"{p}-mri"),
              {"resourceType": "MedicationRequest", "id": f"{p}-prednisone", "status": "active", "intent": "order",
               "medicationCodeableConcept": cc(RXNORM, "8640", "prednisone"), "subject": {"reference": f"Patient/{p}"}, "authoredOn": day(120)}]
    request("X18-bone-scan-after-marrow-edema-mri-on-steroids", "order-select", patient(p, "male", 49), record,
            [order("bone-scan", p, cc(CPT, "78315", "Bone and/or joint imaging; 3 phase study"), body_site=[HIP, LEFT])])
    p = "x19"
    request("X19-text-only-contrast-mri-order", "order-select", patient(p, "male", 52), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35)],
        [order("mr-hip-text", p, {"text": "MR HIP LT WO+W"})])
    p = "x20"
    request("X20-first-hip-xray-with-sickle-cell", "order-select", patient(p, "male", 29), [
        condition(f"{p}-sickle", p, cc(ICD, "D57.1", "Sickle-cell disease without crisis"), 5000),
        condition(f"{p}-pain", p, PAIN_L_HIP, 20)],
        [order("xr-hip-left", p, XR_HIP_L)])
    p = "x21"
    record = [condition(f"{p}-pain", p, PAIN_R_HIP, 60),
              {"resourceType": "Observation", "id": f"{p}-mri-finding", "status": "final",
               "category": [cc("http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")],
               "code": MR_HIP_R, "subject": {"reference": f"Patient/{p}"}, "effectiveDateTime": ago(40),
               "valueCodeableConcept": cc(FINDING, "osteonecrosis-features", "Osteonecrosis features"), "bodySite": HIP}]
    request("X21-coded-mri-osteonecrosis-finding", "patient-view", patient(p, "male", 46), record)
    p = "x22"
    request("X22-entered-in-error-xray-is-ignored", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35),
        report(f"{p}-xr", p, XR_HIP_L, 21, "Normal left hip.", HIP_XR_NORMAL, status="entered-in-error")],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x23"
    request("X23-high-wbc-in-10e3-per-ul", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21),
        lab(f"{p}-wbc", p, "6690-2", "Leukocytes [#/volume] in Blood by Automated count", 13.2, "10*3/uL", "10*3/uL", 4)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x24"
    request("X24-woman-esr-25-is-not-high", "order-select", patient(p, "female", 40), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21),
        crp(f"{p}-crp", p, 5, 6), esr(f"{p}-esr", p, 25, 6)],
        [order("ct-hip-left", p, CT_HIP_L)])
    p = "x25"
    request("X25-fever-in-fahrenheit", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 35), normal_left_hip_xray(p, 21),
        lab(f"{p}-temp", p, "8310-5", "Body temperature", 101.3, "degF", "[degF]", 2)],
        [order("ct-hip-left", p, CT_HIP_L)])

    # --- The cases of contract version 2 (BMES-RULES.md section 7a) ---
    version2_cases()


# Codes of the version 2 cases.
XR_HIP = cc(LOINC, "24762-7", "XR Hip Views")
XR_HIP_ABNORMAL = cc(SCT, "168662003", "Plain X-ray of hip joint abnormal")
CT_KNEE_L = cc(LOINC, "36507-2", "CT Knee - left WO contrast")
MR_HIP_R_WO = MR_HIP_R
PREDNISONE = cc(RXNORM, "8640", "prednisone")
PREDNISONE_TABLET = cc(RXNORM, "312617", "predniSONE 20 MG Oral Tablet")
METHYLPREDNISOLONE = cc(RXNORM, "6902", "methylprednisolone")
IBUPROFEN = cc(RXNORM, "5640", "ibuprofen")
SHOULDER = cc(SCT, "16982005", "Shoulder region structure")
ON_BONE = cc(SCT, "397758007", "Avascular necrosis of bone")


def left_hip_ct_case(name, p, age, record, note, fhir_server=True):
    """Left hip pain for 5 weeks and a CT of the left hip: the shape most version 2 cases vary."""
    request(name, "order-select", patient(p, "male", age), [condition(f"{p}-pain", p, PAIN_L_HIP, 35)] + record,
            [order("ct-hip-left", p, CT_HIP_L)], note=note, fhir_server=fhir_server)


def version2_cases():
    # --- C1: windows in whole UTC calendar days, inclusive of day N; partial dates at their earliest instant ---
    p = "v2-c1a"
    left_hip_ct_case("V2-C1-normal-xray-exactly-90-days-ago-counts", p, 44,
                     [report(f"{p}-xr", p, XR_HIP_L, 90, "Normal left hip.", HIP_XR_NORMAL, effective=day(90))],
                     "C1: an X-ray dated exactly 90 days before the evaluation date is in the 90-day window.")
    p = "v2-c1b"
    left_hip_ct_case("V2-C1-normal-xray-91-days-ago-does-not-count", p, 44,
                     [report(f"{p}-xr", p, XR_HIP_L, 91, "Normal left hip.", HIP_XR_NORMAL, effective=day(91))],
                     "C1: 91 days is outside the 90-day window: no normal X-ray, no card.")
    p = "v2-c1c"
    left_hip_ct_case("V2-C1-xray-dated-only-to-the-month-counts-from-its-first-day", p, 44,
                     [report(f"{p}-xr", p, XR_HIP_L, 80, "Normal left hip.", HIP_XR_NORMAL, effective=day(80)[:7])],
                     "C1: an X-ray dated 2026-09 counts from 2026-09-01, 88 days before the evaluation date.")
    p = "v2-c1d"
    request("V2-C1-mri-exactly-42-days-ago-is-recent-no-proposal", "patient-view", patient(p, "female", 39), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 70), normal_left_hip_xray(p, 60),
        report(f"{p}-mri", p, MR_HIP_L, 42, "Normal MRI of the left hip.", effective=day(42))],
        note="C1: an MRI dated exactly 42 days ago is MRI_RECENT, so no MRI is proposed.")
    p = "v2-c1e"
    left_hip_ct_case("V2-C1-high-crp-exactly-30-days-ago-silences", p, 44,
                     [normal_left_hip_xray(p, 21), lab(f"{p}-crp", p, "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma",
                                                       48, "mg/L", "mg/L", 30, "H", effective=day(30))],
                     "C1: a CRP dated exactly 30 days ago is in the lab window: the red flag silences the card.")
    p = "v2-c1f"
    left_hip_ct_case("V2-C1-fever-on-the-7th-utc-day-silences", p, 44,
                     [normal_left_hip_xray(p, 21), lab(f"{p}-temp", p, "8310-5", "Body temperature", 38.6, "Cel", "Cel", 7,
                                                       effective="2026-11-21T20:00:00+09:00")],
                     "C1: a fever at 20:00 in UTC+9 on 2026-11-21 is 2026-11-21 in UTC, 7 days ago: inside the 7-day window.")

    # --- C2: an unknown side counts for either side, and the card says so ---
    p = "v2-c2a"
    left_hip_ct_case("V2-C2-unsided-normal-hip-xray-counts-for-the-left-hip", p, 44,
                     [report(f"{p}-xr", p, XR_HIP, 21, "Normal hip.", HIP_XR_NORMAL)],
                     "C2: the X-ray names no side anywhere: it counts for the left hip and the card says the side was not recorded.")
    p = "v2-c2b"
    request("V2-C2-unsided-hip-pain-gets-mri-proposal-of-the-hip", "patient-view", patient(p, "male", 37), [
        condition(f"{p}-pain", p, cc(SCT, "49218002", "Pain of hip region"), 30),
        report(f"{p}-xr", p, XR_HIP, 20, "Unremarkable hip.", HIP_XR_NORMAL)],
        note="C2: neither the pain nor the X-ray has a side: the proposal is for the hip and the card says the side was not recorded.")
    p = "v2-c2c"
    active_mri = order(f"{p}-mri-order", p, cc(LOINC, "30687-8", "MR Hip WO contrast"), status="active")
    active_mri["authoredOn"] = ago(3)
    request("V2-C2-unsided-mri-order-counts-for-the-right-hip-no-card", "order-select", patient(p, "male", 46), [
        condition(f"{p}-pain", p, PAIN_R_HIP, 30), normal_right_hip_xray(p, 10), active_mri],
        [order("ct-hip-right", p, CT_HIP_R)],
        note="C2: an active MRI order of the hip without a side is an MRI of the right hip too: MRI already ordered, no card.")
    p = "v2-c2d"
    request("V2-C2-unsided-femur-osteonecrosis-counts-for-the-right-hip-no-card", "order-select", patient(p, "female", 52), [
        condition(f"{p}-on", p, cc(ICD, "M87.059", "Idiopathic aseptic necrosis of unspecified femur"), 300),
        condition(f"{p}-pain", p, PAIN_R_HIP, 30)],
        [order("mr-hip-right", p, MR_HIP_R_WO)],
        note="C2: osteonecrosis of an unspecified femur counts for the right hip: follow-up MRI of known osteonecrosis, no card.")

    # --- C3: another joint is another joint ---
    p = "v2-c3a"
    left_hip_ct_case("V2-C3-shoulder-osteonecrosis-and-sickle-cell-ct-left-hip-gets-osteonecrosis-risk", p, 31, [
        condition(f"{p}-on-shoulder", p, ON_BONE, 700, body_site=[SHOULDER, RIGHT]),
        condition(f"{p}-sickle", p, cc(ICD, "D57.1", "Sickle-cell disease without crisis"), 9000),
        normal_left_hip_xray(p, 14)],
        "C3: osteonecrosis of the shoulder does not silence the hip; it is a risk factor for it (multifocal osteonecrosis).")
    p = "v2-c3b"
    request("V2-C3-right-knee-osteonecrosis-is-a-risk-factor-for-the-painful-left-hip", "patient-view", patient(p, "male", 48), [
        condition(f"{p}-on-knee", p, ON_BONE, 500, body_site=[KNEE, RIGHT]),
        condition(f"{p}-pain", p, PAIN_L_HIP, 30), normal_left_hip_xray(p, 20)],
        note="C3: osteonecrosis of the right knee is not a diagnosis at the hip but an ON risk factor for it.")
    p = "v2-c3c"
    request("V2-C3-shoulder-joint-pain-is-no-hip-pain-no-card", "order-select", patient(p, "male", 44), [
        condition(f"{p}-pain", p, cc(SCT, "57676002", "Joint pain"), 35, body_site=[SHOULDER, LEFT]), normal_left_hip_xray(p, 21)],
        [order("ct-hip-left", p, CT_HIP_L)],
        note="C3: joint pain of the left shoulder is not pain of the left hip: no pain at the hip, no card.")
    p = "v2-c3d"
    request("V2-C3-osteonecrosis-without-site-counts-at-the-knee-no-card", "order-select", patient(p, "male", 36), [
        condition(f"{p}-on", p, cc(ICD, "M87.9", "Osteonecrosis, unspecified"), 400),
        condition(f"{p}-pain", p, cc(ICD, "M25.562", "Pain in left knee"), 28),
        report(f"{p}-xr", p, XR_KNEE, 14, "Normal knee.", KNEE_XR_NORMAL)],
        [order("ct-knee-left", p, CT_KNEE_L)],
        note="C3: osteonecrosis recorded without any site counts for every joint (fail safe): no MRI advice for the knee.")

    # --- C4: codes and text together; text from conclusion, presentedForm and imaging Observations ---
    p = "v2-c4a"
    request("V2-C4-xray-coded-abnormal-with-crescent-sign-text-gets-osteonecrosis-findings", "patient-view", patient(p, "female", 55), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 60),
        report(f"{p}-xr", p, XR_HIP_L, 30, "Crescent sign and flattening of the left femoral head.", XR_HIP_ABNORMAL)],
        note="C4: the code says abnormal, the text says crescent sign: osteonecrosis on imaging.")
    p = "v2-c4b"
    left_hip_ct_case("V2-C4-normal-xray-in-plain-text-presented-form", p, 44, [
        report(f"{p}-xr", p, XR_HIP_L, 21, forms=[form("text/plain; charset=utf-8", "EXAM: XR LEFT HIP 2 VIEWS\nFINDINGS:\nNormal left hip.\nNo fracture.\n")])],
        "C4: the report has no conclusion; its text/plain presentedForm says normal.")
    p = "v2-c4c"
    request("V2-C4-crescent-sign-in-html-presented-form-gets-osteonecrosis-findings", "patient-view", patient(p, "female", 61), [
        condition(f"{p}-pain", p, PAIN_R_HIP, 75),
        report(f"{p}-xr", p, XR_HIP_R, 40, forms=[form("text/html", "<html><body><h3>Impression</h3><p>Crescent sign of the <b>right</b> femoral head.</p></body></html>")])],
        note="C4: the report's text/html presentedForm is read with its tags stripped.")
    p = "v2-c4d"
    request("V2-C4-marrow-edema-in-imaging-observation-text-with-prednisone", "patient-view", patient(p, "male", 50), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 45),
        {"resourceType": "Observation", "id": f"{p}-mri-result", "status": "final",
         "category": [cc("http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")],
         "code": MR_HIP_L, "subject": {"reference": f"Patient/{p}"}, "effectiveDateTime": ago(20),
         "valueString": "Diffuse bone marrow oedema of the left femoral head and neck. No subchondral band."},
        med_request(f"{p}-prednisone", p, coded(PREDNISONE), 90)],
        note="C4: an imaging Observation's valueString is report text: marrow oedema, with prednisone, does not exclude early osteonecrosis.")
    p = "v2-c4e"
    left_hip_ct_case("V2-C4-query-avn-in-the-clinical-history-is-not-a-finding", p, 44, [
        report(f"{p}-xr", p, XR_HIP_L, 21, forms=[form("text/plain", "CLINICAL HISTORY: Left hip pain for 5 weeks. ?AVN\nFINDINGS: Normal left hip.\nIMPRESSION: No fracture. No AVN.\n")])],
        "C4: the clinical history of a full report asks '?AVN'; only findings and impression are read: a normal X-ray.")

    # --- C5: sentences and negation ---
    p = "v2-c5a"
    request("V2-C5-negated-on-3T-mri-left-hip-no-card", "patient-view", patient(p, "male", 42), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 70),
        study(f"{p}-mri", p, "MR", "MRI left hip without contrast", 20, HIP, LEFT),
        report(f"{p}-mri-report", p, MR_HIP_L, 20,
               "Bone marrow oedema of the left femoral head. No subchondral fracture on the 3.0 T images to suggest osteonecrosis.", study=f"{p}-mri")],
        note="C5: the worst error of issue 16. '3.0 T' does not end the sentence and the negation reaches 'osteonecrosis': no osteonecrosis card.")
    p = "v2-c5b"
    left_hip_ct_case("V2-C5-hard-wrapped-negation-in-a-normal-xray-report", p, 44, [
        report(f"{p}-xr", p, XR_HIP_L, 21, "Normal left hip joint. No subchondral fracture or\ncrescent sign to suggest\nosteonecrosis.", HIP_XR_NORMAL)],
        "C5: a single line break is a hard wrap: the negation reaches the crescent sign on the next line.")
    p = "v2-c5c"
    left_hip_ct_case("V2-C5-eg-abbreviation-keeps-the-negation", p, 44, [
        report(f"{p}-xr", p, XR_HIP_L, 21, "No features of osteonecrosis, e.g. Crescent sign or collapse. Normal left hip.")],
        "C5: 'e.g.' does not end the sentence, so the crescent sign stays denied.")
    p = "v2-c5d"
    left_hip_ct_case("V2-C5-osteonecrosis-is-not-seen-after-the-finding", p, 44, [
        report(f"{p}-xr", p, XR_HIP_L, 21, "Osteonecrosis is not seen. Normal left hip.")],
        "C5: a negation after the finding ('is not seen') denies it.")
    p = "v2-c5e"
    request("V2-C5-early-osteonecrosis-cannot-be-excluded-on-right-hip-mri", "patient-view", patient(p, "female", 47), [
        condition(f"{p}-pain", p, PAIN_R_HIP, 50),
        report(f"{p}-mri", p, MR_HIP_R, 15, "Marrow oedema of the right femoral head; early osteonecrosis cannot be excluded.")],
        note="C5: 'cannot be excluded' keeps the finding: osteonecrosis on imaging.")
    p = "v2-c5f"
    request("V2-C5-avn-none-in-a-numbered-impression-with-steroids", "patient-view", patient(p, "male", 45), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 50),
        report(f"{p}-mri", p, MR_HIP_L, 25, "IMPRESSION:\n1. Bone marrow oedema of the left femoral head\n2. AVN: none"),
        med_statement(f"{p}-prednisone", p, coded(PREDNISONE), 120)],
        note="C5: 'AVN: none' denies AVN; each list item is a sentence. Oedema with glucocorticoids: early osteonecrosis not excluded.")

    # --- C6: medications ---
    p = "v2-c6a"
    left_hip_ct_case("V2-C6-prednisone-medication-statement-ct-left-hip-gets-osteonecrosis-risk", p, 44, [
        normal_left_hip_xray(p, 21), med_statement(f"{p}-prednisone", p, coded(PREDNISONE), 60)],
        "C6: steroid use recorded only as a MedicationStatement is read (and prefetched: key medicationStatements).")
    p = "v2-c6b"
    left_hip_ct_case("V2-C6-medication-reference-to-included-prednisone-gets-osteonecrosis-risk", p, 44, [
        normal_left_hip_xray(p, 21), med_request(f"{p}-order", p, ref(f"Medication/{p}-pred"), 45),
        medication(f"{p}-pred", PREDNISONE_TABLET)],
        "C6: the MedicationRequest names its drug by medicationReference; the Medication comes with the prefetch (_include), or is read from the FHIR server.")
    p = "v2-c6c"
    request("V2-C6-contained-methylprednisolone-administration-gets-osteonecrosis-risk", "patient-view", patient(p, "female", 43), [
        condition(f"{p}-pain", p, PAIN_L_HIP, 30), normal_left_hip_xray(p, 20),
        med_administration(f"{p}-given", p, ref("#med"), 100, contained=[medication("med", METHYLPREDNISOLONE)])],
        note="C6: a MedicationAdministration whose Medication is contained.")
    p = "v2-c6d"
    left_hip_ct_case("V2-C6-intra-articular-steroid-injection-is-not-systemic", p, 44, [
        normal_left_hip_xray(p, 21),
        med_administration(f"{p}-injection", p, coded(METHYLPREDNISOLONE), 50, route=cc(SCT, "12130007", "Intra-articular route"))],
        "C6: an intra-articular steroid injection is not systemic exposure: no osteonecrosis risk, the CT gets replace-with-mri.")
    p = "v2-c6e"
    left_hip_ct_case("V2-C6-medication-reference-to-ibuprofen-is-no-risk", p, 44, [
        normal_left_hip_xray(p, 21), med_statement(f"{p}-nsaid", p, ref(f"Medication/{p}-ibu"), 20),
        medication(f"{p}-ibu", IBUPROFEN)],
        "C6: the referenced Medication is resolved and is no glucocorticoid.")

    # --- C7: unreadable facts are absent and named ---
    p = "v2-c7a"
    left_hip_ct_case("V2-C7-crp-in-mg-percent-is-not-understood-and-named", p, 44, [
        normal_left_hip_xray(p, 21),
        lab(f"{p}-crp", p, "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", 4.5, "mg%", None, 6),
        esr(f"{p}-esr", p, 8, 6, interpretation="N")],
        "C7: a CRP in 'mg%' is a unit the service does not convert: never 'not raised', and the card names it.")
    p = "v2-c7b"
    left_hip_ct_case("V2-C7-unresolvable-medication-reference-is-named", p, 44, [
        normal_left_hip_xray(p, 21), med_request(f"{p}-order", p, ref(f"Medication/{p}-unknown"), 30)],
        "C7: the referenced Medication is in neither the prefetch nor (without fhirServer) a server: the card says the drug could not be identified.",
        fhir_server=False)


if __name__ == "__main__":
    main()
