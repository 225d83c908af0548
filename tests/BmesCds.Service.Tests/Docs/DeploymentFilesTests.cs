using System.Net;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace BmesCds.Service.Tests.Docs;

/// <summary>
/// Deployable as written: the production example configuration, the Kubernetes manifests and the compose file are
/// parsed, and every setting they pass must be one the service reads (<see cref="KnownSettings"/>) with a value of the
/// right kind. The example also starts the real host. The manifests themselves cannot run here (no container engine or
/// cluster), as README "Deployment" says.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static readonly string Example = Repository.Combine("src", "BmesCds.Service", "appsettings.Production.example.json");

    private static IEnumerable<KeyValuePair<string, string?>> ExampleSettings() =>
        new ConfigurationBuilder().AddJsonFile(Example).Build().AsEnumerable().Where(pair => pair.Value is not null);

    private static List<YamlMappingNode> Documents(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Repository.Combine(path));
        stream.Load(reader);
        return [.. stream.Documents.Select(document => (YamlMappingNode)document.RootNode)];
    }

    private static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var step in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(step), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private static string? Text(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Items(YamlNode node, params string[] path) =>
        At(node, path) is YamlSequenceNode sequence ? sequence.Children : [];

    private static YamlMappingNode Kind(List<YamlMappingNode> documents, string kind, string? name = null) =>
        documents.Single(d => Text(d, "kind") == kind && (name is null || Text(d, "metadata", "name") == name));

    [Test]
    public void Every_setting_of_the_production_example_is_one_the_service_reads_with_a_value_of_its_kind()
    {
        var problems = ExampleSettings().Select(pair => KnownSettings.Problem(pair.Key, pair.Value)).OfType<string>();

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void The_production_example_has_every_section_and_the_readme_explains_each()
    {
        var sections = ExampleSettings().Select(pair => pair.Key.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var readme = File.ReadAllText(Repository.Combine("README.md"));
        var table = readme[readme.IndexOf("### Production configuration", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", StringComparison.Ordinal)];

        Assert.That(KnownSettings.Sections.Keys, Is.SubsetOf(sections), "a section of the service is missing from the example");
        Assert.That(sections.Where(section => !table.Contains($"`{section}", StringComparison.Ordinal)), Is.Empty, "sections without a README line");
    }

    [Test]
    public async Task The_production_example_starts_the_real_host_with_auth_required()
    {
        // Changed for the test, and only this: Redis (none here; the in-memory replay cache instead), the second
        // client's JwksFile (a real file), AllowedHosts (the test client calls "localhost"), and Validation:Incoming Off
        // (Warn makes the host warm a validator of its own in the background: tens of seconds of CPU, tested elsewhere).
        var folder = Directory.CreateTempSubdirectory("bmes-example-").FullName;
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var p = key.ExportParameters(false);
        var jwks = Path.Combine(folder, "ehr-test.jwks.json");
        File.WriteAllText(jwks, $$"""{"keys":[{"kty":"EC","crv":"P-384","kid":"ehr-test-1","use":"sig","x":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.Y)}}"}]}""");
        var settings = ExampleSettings().ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.That(settings.Remove("Auth:ReplayCache:Redis"), Is.True);
        Assert.That(settings.ContainsKey("Auth:TrustedClients:1:JwksFile"), Is.True);
        settings["Auth:TrustedClients:1:JwksFile"] = jwks;
        settings["AllowedHosts"] = "*";
        settings["Validation:Incoming"] = "Off";
        // No PostgreSQL or second port in this test: the ledger on a throwaway SQLite file, management on the CDS address.
        settings["Ledger:Store"] = "Sqlite";
        settings["Ledger:SqlitePath"] = Path.Combine(folder, "ledger.db");
        Assert.That(settings.Remove("Management:Urls"), Is.True);
        try
        {
            using var factory = new BmesCdsFactory(settings, environment: "Production");
            using var client = factory.CreateClient();

            using var live = await client.GetAsync("/health/live");
            using var discovery = await client.GetAsync("/cds-services");

            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "Auth:Mode Required");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void The_kubernetes_deployment_passes_only_real_settings_and_takes_its_trusted_clients_from_a_secret()
    {
        var manifests = Documents("deploy", "k8s", "deployment.yaml");
        var secrets = Documents("deploy", "k8s", "trusted-clients.secret.example.yaml");
        var container = Items(Kind(manifests, "Deployment"), "spec", "template", "spec", "containers").Single();
        var env = Items(container, "env").ToList();

        var problems = env.Select(e => KnownSettings.Problem(Text(e, "name")!, Text(e, "value"))).OfType<string>().ToList();
        var fromSecret = Items(container, "envFrom").Select(e => Text(e, "secretRef", "name")).ToList();
        Assert.That(fromSecret, Is.Not.Empty, "trusted clients come from a Secret");
        foreach (var name in fromSecret)
        {
            var data = (YamlMappingNode)At(Kind(secrets, "Secret", name), "stringData")!;
            var keys = data.Children.Select(pair => ((YamlScalarNode)pair.Key).Value!).ToList();
            problems.AddRange(data.Children.Select(pair => KnownSettings.Problem(((YamlScalarNode)pair.Key).Value!, ((YamlScalarNode)pair.Value).Value)).OfType<string>());
            Assert.That(keys, Does.Contain("Auth__TrustedClients__0__Issuer"));
        }

        foreach (var reference in env.Select(e => At(e, "valueFrom", "secretKeyRef")).OfType<YamlNode>())
        {
            var secret = Kind(secrets, "Secret", Text(reference, "name"));
            Assert.That(At(secret, "stringData", Text(reference, "key")!), Is.Not.Null, $"secret key {Text(reference, "key")}");
        }

        Assert.That(problems, Is.Empty);
        Assert.That(env.Select(e => Text(e, "name")), Does.Not.Contain("Auth__TrustCdsHooksSandbox"));
    }

    [Test]
    public async Task The_kubernetes_probes_are_the_services_live_and_ready_endpoints()
    {
        var container = Items(Kind(Documents("deploy", "k8s", "deployment.yaml"), "Deployment"), "spec", "template", "spec", "containers").Single();
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        Assert.That(Text(container, "readinessProbe", "httpGet", "path"), Is.EqualTo("/health/ready"));
        Assert.That(Text(container, "startupProbe", "httpGet", "path"), Is.EqualTo("/health/ready"));
        Assert.That(Text(container, "livenessProbe", "httpGet", "path"), Is.EqualTo("/health/live"));
        // The probes ask the CDS port: the management port answers health too, but a readiness gate belongs to the traffic port.
        var port = Text(Items(container, "ports").Single(p => Text(p, "name") == "cds"), "containerPort");
        Assert.That(new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Select(probe => Text(container, probe, "httpGet", "port")), Has.All.EqualTo(port));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            using var response = await client.GetAsync(Text(container, probe, "httpGet", "path"));
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.NotFound), probe);
        }
    }

    [Test]
    public void The_compose_file_runs_the_service_postgresql_and_the_fhir_test_server_with_real_settings()
    {
        var compose = Documents("deploy", "compose.yaml").Single();
        var services = (YamlMappingNode)At(compose, "services")!;
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        var service = (YamlMappingNode)At(services, "bmes-cds")!;
        var environment = (YamlMappingNode)At(service, "environment")!;

        Assert.That(names, Is.EquivalentTo(new[] { "bmes-cds", "fhir-server", "postgres" }));
        Assert.That(environment.Children.Select(pair => KnownSettings.Problem(((YamlScalarNode)pair.Key).Value!, ((YamlScalarNode)pair.Value).Value)).OfType<string>(), Is.Empty);
        Assert.That(Text(At(services, "postgres")!, "image"), Does.StartWith("postgres:"));
        var volume = Items(At(services, "fhir-server")!, "volumes").Select(v => ((YamlScalarNode)v).Value!).First();
        Assert.That(Directory.Exists(Path.GetFullPath(Path.Combine(Repository.Combine("deploy"), volume.Split(':')[0]))), Is.True, volume);
        Assert.That(string.Join(' ', Items(At(services, "fhir-server")!, "command").Select(c => ((YamlScalarNode)c).Value)), Does.Contain("node server.mjs"));
    }

    [TestCase("Auth__TrustedClients__0__Isuer", "x")]
    [TestCase("Auth:ReplaceAction", "Update")]
    [TestCase("Cards:ReplaceAction", "Sometimes")]
    [TestCase("Fhir:MaxPages", "many")]
    [TestCase("Ledger:Stor", "Sqlite")]
    public void The_checker_refuses_what_the_service_would_not_read(string key, string value)
    {
        Assert.That(KnownSettings.Problem(key, value), Is.Not.Null);
    }
}
