using BmesCds.CdsHooks.Pipeline;
using BmesCds.Clinical.Engine;

namespace BmesCds.Service.Tests.PatientData;

public sealed class PrefetchTemplateRendererTests
{
    private static readonly HookContext Context = new(HookKind.PatientView, "p 1", "Practitioner/dr-7", null, []);

    [TestCase("Patient/{{context.patientId}}", "Patient/p%201")]
    [TestCase("Condition?patient={{context.patientId}}&_count=200", "Condition?patient=p%201&_count=200")]
    [TestCase("Practitioner/{{userPractitionerId}}", "Practitioner/dr-7")]
    [TestCase("{{context.userId}}", "Practitioner/dr-7")]
    [TestCase("Observation?patient={{ context.patientId }}", "Observation?patient=p%201")]
    public void Tokens_are_filled_from_the_context(string template, string expected)
    {
        var (query, missing) = PrefetchTemplateRenderer.Render(template, Context);

        Assert.That(query, Is.EqualTo(expected));
        Assert.That(missing, Is.Null);
    }

    [TestCase("Encounter/{{context.encounterId}}", "{{context.encounterId}}")]
    [TestCase("PractitionerRole?_id={{userPractitionerRoleId}}", "{{userPractitionerRoleId}}")]
    [TestCase("Medication/{{context.medication.id}}", "{{context.medication.id}}")]
    public void A_template_whose_token_has_no_value_is_not_rendered(string template, string token)
    {
        var (query, missing) = PrefetchTemplateRenderer.Render(template, Context);

        Assert.That(query, Is.Null);
        Assert.That(missing, Is.EqualTo(token));
    }

    [Test]
    public void A_value_cannot_add_query_parameters()
    {
        var (query, _) = PrefetchTemplateRenderer.Render("Condition?patient={{context.patientId}}", Context with { PatientId = "1&_id=2" });

        Assert.That(query, Is.EqualTo("Condition?patient=1%26_id%3D2"));
    }
}

public sealed class FhirServerEndpointTests
{
    private static readonly FhirServerEndpoint Server = new(new Uri("https://ehr.example.org/fhir/R4"), null);

    [TestCase("https://ehr.example.org/fhir/R4/Condition?patient=1&_offset=10", true)]
    [TestCase("https://EHR.example.org/fhir/R4/Condition?page=2", true)]
    [TestCase("https://ehr.example.org:8443/fhir/R4/Condition", false)]
    [TestCase("http://ehr.example.org/fhir/R4/Condition", false)]
    [TestCase("https://evil.example.com/fhir/R4/Condition", false)]
    [TestCase("https://ehr.example.org/other/Condition", false)]
    [TestCase("https://ehr.example.org/fhir/R4/../../admin", false)]
    [TestCase("https://ehr.example.org.evil.com/fhir/R4/Condition", false)]
    public void Only_urls_under_the_fhir_server_base_are_followed(string url, bool followed) =>
        Assert.That(Server.Owns(new Uri(url)), Is.EqualTo(followed));

    [Test]
    public void Relative_queries_resolve_under_the_base_even_without_a_trailing_slash() =>
        Assert.That(Server.Resolve("Patient/1").AbsoluteUri, Is.EqualTo("https://ehr.example.org/fhir/R4/Patient/1"));

    [Test]
    public void The_token_does_not_show_in_the_endpoint_text()
    {
        var secured = Server with { Authorization = new BmesCds.CdsHooks.Requests.FhirAuthorization("tok-123", "Bearer", 300, null, null) };

        Assert.That(secured.ToString(), Does.Not.Contain("tok-123"));
    }
}
