#!/usr/bin/env python3
"""Writes samples/cases/*.request.json: the worked cases C1-C10 of BMES-RULES.md and the engine's own cases X01-X25.

Dates are absolute, computed back from the golden-test clock 2026-11-28T12:00:00Z. Run from anywhere; rewrites the files.
The expected cards live in tests/BmesCds.Clinical.Tests (WorkedCaseTests, MoreCaseTests) and in the host's golden files.
"""
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


def lab(oid, pid, loinc, display, value, unit, ucum, days, interpretation=None, high=None):
    resource = {
        "resourceType": "Observation", "id": oid, "status": "final",
        "category": [cc("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")],
        "code": cc(LOINC, loinc, display), "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": ago(days),
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": ucum},
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


def report(rid, pid, concept, days, conclusion=None, conclusion_code=None, study=None, status="final"):
    resource = {
        "resourceType": "DiagnosticReport", "id": rid, "status": status,
        "category": [cc("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")],
        "code": concept, "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": ago(days), "issued": ago(days),
    }
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


def searchset(kind, pid, resources):
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "link": [{"relation": "self", "url": f"{FHIR}/{kind}?patient={pid}"}],
            "entry": [{"fullUrl": f"{FHIR}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}} for r in resources]}


def is_imaging(resource):
    return any(coding.get("code") == "imaging" for category in resource.get("category", []) for coding in category.get("coding", []))


# Every key of the discovery prefetch templates, so the samples are complete prefetch (no fetch needed);
# Observations split as the templates split them: labs by code, imaging results by category.
KEYS = [("conditions", "Condition", None), ("observations", "Observation", lambda r: not is_imaging(r)),
        ("imagingObservations", "Observation", is_imaging), ("imagingStudies", "ImagingStudy", None),
        ("diagnosticReports", "DiagnosticReport", None), ("serviceRequests", "ServiceRequest", None),
        ("medicationRequests", "MedicationRequest", None)]


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


def request(name, hook, pat, record, drafts=None, selections=None, encounter=None):
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
        prefetch[key] = searchset(kind, pid, [r for r in record if r["resourceType"] == kind and (keep is None or keep(r))])
    body = {"hook": hook, "hookInstance": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://bmes-cds.org/samples/cases/{name}")),
            "fhirServer": FHIR, "context": context, "prefetch": prefetch}
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
        [order("xr-knee", p, XR_KNEE)])
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
        [order("ct-ankle-right", p, cc(LOINC, "36428-1", "CT Ankle - right WO contrast"))])
    p = "x05"
    sandbox_order = order("example-request-id", p, cc(CPT, "73700", "Computed tomography, lower extremity; without contrast material",
                                                      "Computed tomography, lower extremity; without contrast material"),
                          reason=[cc(SCT, "30989003", "Knee pain (finding)", "Knee pain (finding)")], intent="plan")
    request("X05-sandbox-cpt-ct-with-knee-pain-reason", "order-select", patient(p, "female", 45), [
        condition(f"{p}-pain", p, cc(SCT, "30989003", "Knee pain"), 30),
        report(f"{p}-xr", p, XR_KNEE, 10, None, KNEE_XR_NORMAL)],
        [sandbox_order])
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
        report(f"{p}-xr", p, XR_KNEE, 20, None, KNEE_XR_NORMAL)])
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


if __name__ == "__main__":
    main()
