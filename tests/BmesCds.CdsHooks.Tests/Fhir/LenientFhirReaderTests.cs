using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using BmesCds.CdsHooks.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>
/// Issue 12, found by the fuzz suite: an element in a form its property cannot hold, and a resource id that is not a
/// string, are dropped and reported, never kept where reading the property throws later (other primitives keep their
/// value as sent, for C7); a resource Firely throws on is refused with a reason, not an exception's name.
/// </summary>
public sealed partial class LenientFhirReaderTests
{
    private static FhirReadResult Read(string elements) =>
        LenientFhirReader.Read(Encoding.UTF8.GetBytes("{\"resourceType\":\"ServiceRequest\"," + elements + "}"), "ServiceRequest");

    [TestCase("\"id\":1.5")]
    [TestCase("\"id\":true")]
    [TestCase("\"id\":[]")]
    [TestCase("\"id\":[\"sr-1\"]")]
    public void A_draft_order_id_that_is_not_a_string_is_dropped_so_reading_it_cannot_throw(string id)
    {
        var read = Read(id + ",\"status\":\"draft\",\"intent\":\"plan\",\"subject\":{\"reference\":\"Patient/p\"}");

        Assert.That(read.Resource, Is.Not.Null, read.Refusal);
        Assert.That(() => read.Resource!.Id, Throws.Nothing);
        Assert.That(read.Resource!.Id, Is.Null);
        Assert.That(((ServiceRequest)read.Resource).Intent, Is.EqualTo(RequestIntent.Plan), "the rest of the order is kept");
        Assert.That(read.Issues.Select(issue => issue.Location), Has.Member("ServiceRequest.id"), "the tolerated issue is reported with its place");
    }

    [Test]
    public void Every_property_of_a_resource_with_elements_in_a_form_their_property_cannot_hold_can_be_read()
    {
        var read = Read("""
            "id":[],"status":"draft","intent":["plan"],"subject":"Patient/p","bodySite":"hip",
            "code":{"coding":[{"system":"http://loinc.org","code":["36487-7"]}],"text":[]},
            "contained":[{"resourceType":"Medication","id":2}]
            """);

        Assert.That(read.Resource, Is.Not.Null, read.Refusal);
        Assert.That(Throwing(read.Resource!, "ServiceRequest", 0), Is.Empty);
        Assert.That(read.Issues.Where(issue => issue.Code == MistypedElements.IssueCode).Select(issue => issue.Location), Is.SupersetOf(new[]
        {
            "ServiceRequest.id", "ServiceRequest.intent", "ServiceRequest.bodySite", "ServiceRequest.code.text",
            "ServiceRequest.code.coding[0].code", "ServiceRequest.contained[0].id",
        }));
        Assert.That(((ServiceRequest)read.Resource!).Status, Is.EqualTo(RequestStatus.Draft), "the rest is kept");
    }

    [Test]
    public void A_primitive_value_of_the_wrong_json_type_is_kept_as_sent_for_the_clinical_readers_to_name()
    {
        // C7: "its value could not be read" needs the value; a decimal sent as a string is even read as a number.
        var read = Read("\"id\":\"sr-1\",\"status\":1.5,\"quantityQuantity\":{\"value\":\"abc\"}");

        var order = (ServiceRequest)read.Resource!;
        Assert.That(order.StatusElement.JsonValue, Is.EqualTo(1.5m));
        Assert.That((order.Quantity as Quantity)?.ValueElement?.JsonValue, Is.EqualTo("abc"));
    }

    [Test]
    public void A_well_typed_resource_is_read_whole_without_issues()
    {
        var read = Read("\"id\":\"sr-1\",\"status\":\"draft\",\"intent\":\"plan\",\"code\":{\"coding\":[{}],\"text\":\"CT hip\"},\"subject\":{\"reference\":\"Patient/p\"}");

        Assert.That(read.Resource!.Id, Is.EqualTo("sr-1"));
        Assert.That(((ServiceRequest)read.Resource).Code?.Text, Is.EqualTo("CT hip"));
        Assert.That(read.Issues.Where(issue => issue.Code == MistypedElements.IssueCode), Is.Empty);
    }

    [TestCase("\"code\":{\"coding\":[{\"code\":\"a\"}],\"coding\":\"fuzz\"}", TestName = "an element given twice, as a list then a string")]
    [TestCase("\"contained\":[{\"resourceType\":{\"resourceType\":\"Bundle\"},\"id\":\"m\"}]", TestName = "a contained resource whose resourceType is an object")]
    [TestCase("\"contained\":[{\"resourceType\":[\"Medication\"],\"id\":\"m\"}]", TestName = "a contained resource whose resourceType is an array")]
    [TestCase("\"code\":{\"coding\":[{\"\":\"a\"}]}", TestName = "an empty property name")]
    public void A_resource_firely_throws_on_is_refused_with_a_reason_not_an_exception_name(string elements)
    {
        var read = Read("\"id\":\"sr-1\"," + elements);

        Assert.That(read.Resource, Is.Null);
        Assert.That(read.Refusal, Does.StartWith("the ServiceRequest cannot be read even leniently: "));
        Assert.That(read.Refusal, Does.Not.Match(ExceptionName()));
    }

    // Every public property, recursively (as the engine, the ledger and the rewriter read them): the ones that throw.
    private static List<string> Throwing(object instance, string path, int depth)
    {
        var throwing = new List<string>();
        if (depth > 6)
        {
            return throwing;
        }

        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.GetIndexParameters().Length == 0))
        {
            object? value;
            try
            {
                value = property.GetValue(instance);
            }
            catch (TargetInvocationException failure)
            {
                throwing.Add($"{path}.{property.Name}: {failure.InnerException?.Message}");
                continue;
            }

            if (value is Base child && property.Name is not ("Children" or "NamedChildren"))
            {
                throwing.AddRange(Throwing(child, $"{path}.{property.Name}", depth + 1));
            }
            else if (value is IEnumerable items and not string && property.Name is not ("Children" or "NamedChildren"))
            {
                foreach (var item in items.OfType<Base>())
                {
                    throwing.AddRange(Throwing(item, $"{path}.{property.Name}[]", depth + 1));
                }
            }
        }

        return throwing;
    }

    [GeneratedRegex(@"\b\w+Exception\b")]
    private static partial Regex ExceptionName();

    [TestCase("Resource")]
    [TestCase("DomainResource")]
    public void An_abstract_base_type_is_refused_as_no_resource_type(string type)
    {
        using var document = System.Text.Json.JsonDocument.Parse("{\"resourceType\":\"" + type + "\",\"id\":\"x\"}");

        var read = LenientFhirReader.Read(document.RootElement);

        Assert.That(read.IsRefused, Is.True);
        Assert.That(read.Refusal, Is.EqualTo($"'{type}' is not a FHIR R4 resource type"));
    }

    [TestCase("Resource")]
    [TestCase("DomainResource")]
    public void A_contained_resource_of_an_abstract_base_type_costs_the_resource_not_the_call(string type)
    {
        FhirReadResult? read = null;

        Assert.That(() => read = Read("\"status\":\"draft\",\"intent\":\"plan\",\"contained\":[{\"resourceType\":\"" + type + "\",\"id\":\"c\"}]"), Throws.Nothing);
        Assert.That(read!.IsRefused, Is.True);
        Assert.That(read.Refusal, Is.EqualTo($"the ServiceRequest cannot be read even leniently: {LenientFhirReader.Unreadable}"));
    }
}
