using System.Net;
using BmesCds.Service.Auth;
using BmesCds.Service.FhirServers;
using BmesCds.Service.Hosting;

namespace BmesCds.Service.Tests.FhirServers;

/// <summary>Which addresses the FHIR client may connect to, and which fhirServer URLs an allow-list admits.</summary>
public sealed class AddressAndAllowListTests
{
    [TestCase("127.0.0.1", AddressKind.Loopback)]
    [TestCase("127.255.255.254", AddressKind.Loopback)]
    [TestCase("::1", AddressKind.Loopback)]
    [TestCase("::ffff:127.0.0.1", AddressKind.Loopback)]
    [TestCase("::ffff:0:127.0.0.1", AddressKind.Loopback)]
    [TestCase("64:ff9b::127.0.0.1", AddressKind.Loopback)]
    [TestCase("0.0.0.0", AddressKind.Never)]
    [TestCase("0.1.2.3", AddressKind.Never)]
    [TestCase("::", AddressKind.Never)]
    [TestCase("224.0.0.1", AddressKind.Never)]
    [TestCase("239.255.255.250", AddressKind.Never)]
    [TestCase("255.255.255.255", AddressKind.Never)]
    [TestCase("240.0.0.1", AddressKind.Never)]
    [TestCase("ff02::1", AddressKind.Never)]
    [TestCase("10.0.0.1", AddressKind.Private)]
    [TestCase("172.16.0.1", AddressKind.Private)]
    [TestCase("172.31.255.255", AddressKind.Private)]
    [TestCase("192.168.1.1", AddressKind.Private)]
    [TestCase("100.64.0.1", AddressKind.Private)]
    [TestCase("100.127.255.255", AddressKind.Private)]
    [TestCase("169.254.169.254", AddressKind.Private)]
    [TestCase("192.0.0.8", AddressKind.Private)]
    [TestCase("192.0.2.1", AddressKind.Private)]
    [TestCase("192.88.99.1", AddressKind.Private)]
    [TestCase("198.18.0.1", AddressKind.Private)]
    [TestCase("198.51.100.1", AddressKind.Private)]
    [TestCase("203.0.113.1", AddressKind.Private)]
    [TestCase("::ffff:10.1.2.3", AddressKind.Private)]
    [TestCase("::ffff:169.254.169.254", AddressKind.Private)]
    [TestCase("::10.1.2.3", AddressKind.Private)]
    [TestCase("::127.0.0.1", AddressKind.Private)]
    [TestCase("64:ff9b::10.0.0.1", AddressKind.Private)]
    [TestCase("64:ff9b:1::1", AddressKind.Private)]
    [TestCase("2002:7f00:1::1", AddressKind.Private)]
    [TestCase("2002:a9fe:a9fe::1", AddressKind.Private)]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressKind.Private)]
    [TestCase("2001:db8::1", AddressKind.Private)]
    [TestCase("3fff::1", AddressKind.Private)]
    [TestCase("fc00::1", AddressKind.Private)]
    [TestCase("fd12:3456::1", AddressKind.Private)]
    [TestCase("fe80::1", AddressKind.Private)]
    [TestCase("fe80::1%1", AddressKind.Private)]
    [TestCase("fec0::1", AddressKind.Private)]
    [TestCase("100::1", AddressKind.Private)]
    [TestCase("5f00::1", AddressKind.Private)]
    [TestCase("4000::1", AddressKind.Private)]
    [TestCase("8.8.8.8", AddressKind.Public)]
    [TestCase("93.184.215.14", AddressKind.Public)]
    [TestCase("172.32.0.1", AddressKind.Public)]
    [TestCase("100.128.0.1", AddressKind.Public)]
    [TestCase("::ffff:8.8.8.8", AddressKind.Public)]
    [TestCase("64:ff9b::8.8.8.8", AddressKind.Public)]
    [TestCase("2002:808:808::1", AddressKind.Public)]
    [TestCase("2606:4700:4700::1111", AddressKind.Public)]
    [TestCase("2a00:1450:4001::1", AddressKind.Public)]
    public void Addresses_are_classified_after_the_special_purpose_registries(string address, AddressKind expected)
    {
        var (kind, range) = SpecialPurposeAddresses.Classify(IPAddress.Parse(address));

        Assert.That(kind, Is.EqualTo(expected));
        Assert.That(range, expected == AddressKind.Public ? Is.Null : Is.Not.Null.And.Not.Empty);
    }

    private static FhirServerAllowList List(params string[] entries) =>
        FhirServerAllowList.From(entries, "Test:List", isDevelopment: false);

    [TestCase("https://ehr.example.org/fhir", true)]
    [TestCase("https://ehr.example.org/fhir/", true)]
    [TestCase("https://EHR.example.org/fhir", true)]
    [TestCase("https://ehr.example.org:443/fhir", true)]
    [TestCase("https://ehr.example.org/fhir/r4", true)]
    [TestCase("https://ehr.example.org/fhir/r4/tenant-a", true)]
    [TestCase("https://ehr.example.org/fhir-admin", false)]
    [TestCase("https://ehr.example.org/fhi", false)]
    [TestCase("https://ehr.example.org/FHIR", false)]
    [TestCase("https://ehr.example.org/", false)]
    [TestCase("https://ehr.example.org/fhir%2F..%2Fadmin", false)]
    [TestCase("https://ehr.example.org/fhir/../admin", false)]
    [TestCase("http://ehr.example.org/fhir", false)]
    [TestCase("https://ehr.example.org:8443/fhir", false)]
    [TestCase("https://ehr.example.org.evil.example/fhir", false)]
    [TestCase("https://evil.example/fhir", false)]
    [TestCase("https://ehr.example.org@evil.example/fhir", false)]
    [TestCase("https://user:pass@ehr.example.org/fhir", false)]
    [TestCase("https://ehr.example.org/fhir?_format=json", false)]
    [TestCase("http://127.0.0.1/fhir", false)]
    public void A_base_url_admits_its_own_scheme_host_port_and_the_paths_below_it(string fhirServer, bool admitted) =>
        Assert.That(List("https://ehr.example.org/fhir").Admits(new Uri(fhirServer)), Is.EqualTo(admitted));

    [TestCase("http://127.0.0.1:8190/fhir", true)]
    [TestCase("http://localhost:1/", true)]
    [TestCase("https://[::1]:5/fhir", true)]
    [TestCase("http://2130706433:80/fhir", true)]
    [TestCase("http://10.0.0.1/fhir", false)]
    [TestCase("https://ehr.example.org/fhir", false)]
    public void In_development_an_unset_list_admits_loopback_servers_only(string fhirServer, bool admitted) =>
        Assert.That(FhirServerAllowList.From([], "Test:List", isDevelopment: true).Admits(new Uri(fhirServer)), Is.EqualTo(admitted));

    [Test]
    public void Outside_development_an_unset_list_admits_nothing() =>
        Assert.That(FhirServerAllowList.From([], "Test:List", isDevelopment: false).Admits(new Uri("http://127.0.0.1:8190/fhir")), Is.False);

    [Test]
    public void A_configured_list_in_development_admits_only_its_entries() =>
        Assert.That(FhirServerAllowList.From(["https://ehr.example.org/fhir"], "Test:List", isDevelopment: true).Admits(new Uri("http://127.0.0.1:8190/fhir")), Is.False);

    [TestCase("ehr.example.org/fhir")]
    [TestCase("ftp://ehr.example.org/fhir")]
    [TestCase("https://ehr.example.org/fhir?tenant=1")]
    [TestCase("https://user@ehr.example.org/fhir")]
    public void An_entry_that_is_not_a_base_url_stops_the_start_naming_the_setting(string entry)
    {
        var failure = Assert.Throws<StartupConfigurationException>(() => List(entry));

        Assert.That(failure!.Message, Does.StartWith("Test:List: '"));
    }

    [Test]
    public void The_sandbox_preset_may_name_only_the_public_smart_sandbox_by_default()
    {
        var options = new CdsClientAuthOptions { TrustCdsHooksSandbox = true };

        var sandbox = TrustedClientRegistry.Build(options, AppContext.BaseDirectory).Find(TrustedClientRegistry.SandboxIssuer)!;

        Assert.That(sandbox.FhirServers.Admits(new Uri("https://launch.smarthealthit.org/v/r4/fhir")), Is.True);
        Assert.That(sandbox.FhirServers.Admits(new Uri("https://launch.smarthealthit.org/v/r2/fhir")), Is.False);
        Assert.That(sandbox.FhirServers.Admits(new Uri("http://127.0.0.1:8190/fhir")), Is.False);
        Assert.That(sandbox.FhirServers.Admits(new Uri("https://hapi.fhir.org/baseR4")), Is.False);
    }

    [Test]
    public void The_sandbox_preset_may_also_name_loopback_servers_in_development()
    {
        var options = new CdsClientAuthOptions { TrustCdsHooksSandbox = true };

        var sandbox = TrustedClientRegistry.Build(options, AppContext.BaseDirectory, isDevelopment: true).Find(TrustedClientRegistry.SandboxIssuer)!;

        Assert.That(sandbox.FhirServers.Admits(new Uri("http://127.0.0.1:8190/fhir")), Is.True);
        Assert.That(sandbox.FhirServers.Admits(new Uri("https://launch.smarthealthit.org/v/r4/fhir")), Is.True);
    }

    [Test]
    public void A_configured_sandbox_list_replaces_the_default()
    {
        var options = new CdsClientAuthOptions { TrustCdsHooksSandbox = true };
        options.CdsHooksSandboxFhirServers.Add("https://fhir.test.example/r4");

        var sandbox = TrustedClientRegistry.Build(options, AppContext.BaseDirectory).Find(TrustedClientRegistry.SandboxIssuer)!;

        Assert.That(sandbox.FhirServers.Admits(new Uri("https://fhir.test.example/r4")), Is.True);
        Assert.That(sandbox.FhirServers.Admits(new Uri("https://launch.smarthealthit.org/v/r4/fhir")), Is.False);
    }

    [Test]
    public void A_trusted_client_without_fhir_servers_may_name_none()
    {
        var options = new CdsClientAuthOptions();
        options.TrustedClients.Add(new TrustedClientOptions { Issuer = "https://ehr.example", JwksUrl = "https://ehr.example/jwks.json" });

        var client = TrustedClientRegistry.Build(options, AppContext.BaseDirectory).Find("https://ehr.example")!;

        Assert.That(client.FhirServers.Count, Is.Zero);
        Assert.That(client.FhirServers.Admits(new Uri("https://ehr.example/fhir")), Is.False);
    }
}
