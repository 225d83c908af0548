using System.Text.RegularExpressions;
using BmesCds.Clinical.Engine;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// Fills the CDS Hooks 2.0 prefetch tokens of a template from the hook context, as a CDS client would:
/// `{{context.patientId}}`, `{{context.userId}}`, `{{context.encounterId}}` and the user tokens
/// `{{userPractitionerId}}`, `{{userPractitionerRoleId}}`, `{{userPatientId}}`, `{{userRelatedPersonId}}`
/// (taken from context.userId when it references that type). A template with a token that has no value
/// (e.g. no encounterId) cannot be rendered and is not fetched.
/// </summary>
public static partial class PrefetchTemplateRenderer
{
    /// <returns>The relative FHIR URL, or null with the token that has no value.</returns>
    public static (string? Query, string? MissingToken) Render(string template, HookContext context)
    {
        string? missing = null;
        var query = Token().Replace(template, match =>
        {
            var value = ValueOf(match.Groups[1].Value, context);
            if (value is null)
            {
                missing ??= match.Value;
                return string.Empty;
            }

            // Escape each path segment of the value: an id cannot add query parameters or path segments.
            return string.Join('/', value.Split('/').Select(Uri.EscapeDataString));
        });
        return missing is null ? (query, null) : (null, missing);
    }

    private static string? ValueOf(string token, HookContext context) => token switch
    {
        "context.patientId" => context.PatientId,
        "context.userId" => context.UserId,
        "context.encounterId" => context.EncounterId,
        "userPractitionerId" => UserIdOfType(context, "Practitioner"),
        "userPractitionerRoleId" => UserIdOfType(context, "PractitionerRole"),
        "userPatientId" => UserIdOfType(context, "Patient"),
        "userRelatedPersonId" => UserIdOfType(context, "RelatedPerson"),
        _ => null,
    };

    private static string? UserIdOfType(HookContext context, string type) =>
        context.UserId is { } user && user.StartsWith(type + "/", StringComparison.Ordinal) && user.Length > type.Length + 1
            ? user[(type.Length + 1)..]
            : null;

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}")]
    private static partial Regex Token();
}
