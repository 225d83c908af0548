using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace BmesCds.Service.Tests.Hosting;

/// <summary>
/// Deployable as written: the built service, started as an operator starts it (Production, settings from the environment),
/// stops at once on a missing or bad setting with ONE line on stderr naming the setting, a non-zero exit code, and no
/// stack trace; a crash-looping pod then says what to fix.
/// </summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static async Task<(int Code, string Stderr)> StartInProductionAsync(Dictionary<string, string?> settings)
    {
        using var service = ServiceProcess.Start(Environments.Production, settings);
        var code = await service.WaitForExitAsync(Deadline);
        return (code, service.Stderr);
    }

    private static void AssertOneLineNaming(int code, string stderr, string setting)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("BmesCds cannot start: ").And.Contain(setting));
        Assert.That(stderr, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"));
    }

    [Test]
    public async Task Production_without_auth_settings_names_Auth_PublicBaseUrl()
    {
        var (code, stderr) = await StartInProductionAsync([]);

        AssertOneLineNaming(code, stderr, "Auth:PublicBaseUrl");
    }

    [Test]
    public async Task Production_with_a_base_url_but_no_trusted_client_names_Auth_TrustedClients()
    {
        var (code, stderr) = await StartInProductionAsync(new() { ["Auth__PublicBaseUrl"] = "https://cds.example.org" });

        AssertOneLineNaming(code, stderr, "Auth:TrustedClients");
    }

    [Test]
    public async Task A_trusted_client_whose_jwks_file_is_missing_names_that_setting()
    {
        var (code, stderr) = await StartInProductionAsync(new()
        {
            ["Auth__PublicBaseUrl"] = "https://cds.example.org",
            ["Auth__TrustedClients__0__Issuer"] = "https://ehr.example.com",
            ["Auth__TrustedClients__0__JwksFile"] = "/no/such/jwks.json",
        });

        AssertOneLineNaming(code, stderr, "Auth:TrustedClients:0:JwksFile");
    }

    [Test]
    public async Task A_missing_terminology_folder_names_Terminology_Directory()
    {
        var (code, stderr) = await StartInProductionAsync(new()
        {
            ["Auth__Mode"] = "Disabled",
            ["Terminology__Directory"] = "/no/such/fhir-profiles",
        });

        AssertOneLineNaming(code, stderr, "Terminology:Directory");
    }

    [Test]
    public async Task A_value_of_the_wrong_kind_names_its_key()
    {
        var (code, stderr) = await StartInProductionAsync(new()
        {
            ["Auth__Mode"] = "Disabled",
            ["Cards__ReplaceAction"] = "Sometimes",
        });

        AssertOneLineNaming(code, stderr, "Cards:ReplaceAction");
    }

    [Test]
    public async Task A_missing_value_set_names_it()
    {
        var folder = Directory.CreateTempSubdirectory("bmes-terminology").FullName;
        foreach (var file in Directory.GetFiles(Repository.Combine("fhir-profiles"), "*.json").Where(f => !f.EndsWith("ValueSet-joint-pain.json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var (code, stderr) = await StartInProductionAsync(new() { ["Auth__Mode"] = "Disabled", ["Terminology__Directory"] = folder });

        AssertOneLineNaming(code, stderr, "Terminology:Directory");
        Assert.That(stderr, Does.Contain("https://bmes-cds.org/fhir/ValueSet/joint-pain"));
    }

    [Test]
    public async Task A_malformed_value_set_names_its_file()
    {
        var folder = Directory.CreateTempSubdirectory("bmes-terminology").FullName;
        foreach (var file in Directory.GetFiles(Repository.Combine("fhir-profiles"), "*.json"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, "ValueSet-pregnancy.json"), """{"resourceType":"ValueSet","url":"x","compose":"oops"}""");
        var (code, stderr) = await StartInProductionAsync(new() { ["Auth__Mode"] = "Disabled", ["Terminology__Directory"] = folder });

        AssertOneLineNaming(code, stderr, "Terminology:Directory");
        Assert.That(stderr, Does.Contain("ValueSet-pregnancy.json"));
    }
}
