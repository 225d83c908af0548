namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// A fixture with one real host (default settings, clock at the samples' "now") and a conformance-checked client,
/// started once for all tests of the class.
/// </summary>
public abstract class HostedTests
{
    protected BmesCdsFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartHost()
    {
        Factory = new BmesCdsFactory();
        Client = Factory.CreateCheckedClient();
    }

    [OneTimeTearDown]
    public void StopHost()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}
