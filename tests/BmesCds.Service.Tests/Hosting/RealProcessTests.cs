using System.Net;
using System.Net.Sockets;
using System.Text;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Tests.PatientData;

namespace BmesCds.Service.Tests.Hosting;

/// <summary>
/// The real built service process (not the in-memory test host): SIGTERM lets the call in flight finish and exits 0;
/// a request body that stalls ends with 408 (at Requests:TimeoutSeconds, or earlier at Kestrel's minimum data rate),
/// a client that disconnects mid-body is a Debug line, and the process logs no error.
/// </summary>
[NonParallelizable]
public sealed class RealProcessTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static bool Refuses(Uri baseUrl)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, baseUrl.Port); // on loopback a refusal is immediate
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    [Test]
    public async Task Sigterm_lets_the_call_in_flight_finish_and_the_process_exits_0()
    {
        await using var fhir = await HostileFhirServer.StartAsync();
        using var service = await ServiceProcess.StartDevelopmentAsync("--Fhir:TimeBudgetSeconds=20", "--Requests:TimeoutSeconds=40");
        using var client = new HttpClient { BaseAddress = service.BaseUrl };
        fhir.Hold();
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");

        // A call that is waiting for its FHIR server when the signal comes.
        var inFlight = client.PostAsync("/cds-services/bmes-patient-view", Json.Body(TestPatient.PatientView(fhir.BaseFor("held"), prefetch)));
        Assert.That(await Poll.UntilAsync(() => fhir.Requests("held") == 1, Within), Is.True, "the call reached its FHIR server");
        service.Terminate();
        Assert.That(await Poll.UntilAsync(() => Refuses(service.BaseUrl), Within), Is.True, "the service stopped taking new connections");
        Assert.That(inFlight.IsCompleted, Is.False, "the call is still in flight");

        fhir.Release();
        var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(30));
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("{\"cards\":"));
        Assert.That(exitCode, Is.EqualTo(0), service.Output);
        Assert.That(service.Output, Does.Contain("Application is shutting down"));
        Assert.That(service.Output, Does.Not.Contain("fail:").And.Not.Contain("crit:"));
    }

    [Test]
    public async Task A_stalled_request_body_gets_408_at_the_time_limit_without_an_error_in_the_log()
    {
        using var service = await ServiceProcess.StartDevelopmentAsync("--Requests:TimeoutSeconds=1", "--Fhir:TimeBudgetSeconds=0.5");
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, service.BaseUrl.Port);
        using var connection = new NetworkStream(socket);

        // The head promises 1000 bytes; 10 come, then nothing.
        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /cds-services/bmes-patient-view HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"hook\":\"p"));
        var answer = await ReadAnswerAsync(connection).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(answer, Does.StartWith("HTTP/1.1 408 Request Timeout"));
        Assert.That(answer, Does.Contain("application/fhir+json").And.Contain("\"code\":\"timeout\"").And.Contain("Requests:TimeoutSeconds"));
        using var client = new HttpClient { BaseAddress = service.BaseUrl };
        Assert.That((await client.GetAsync("/cds-services")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the service goes on serving");
        Assert.That(service.Output, Does.Contain("answered 408"));
        Assert.That(service.Output, Does.Not.Contain("fail:").And.Not.Contain("crit:"), "a slow client is not an error of the service");
    }

    [Test]
    public async Task A_body_slower_than_kestrels_minimum_data_rate_gets_408_not_500()
    {
        // The time limit is far away: Kestrel's MinRequestBodyDataRate (240 bytes/s after 5 s) ends the call first.
        using var service = await ServiceProcess.StartDevelopmentAsync("--Requests:TimeoutSeconds=60");
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, service.BaseUrl.Port);
        using var connection = new NetworkStream(socket);

        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /cds-services/bmes-patient-view HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"hook\":\"p"));
        var answer = await ReadAnswerAsync(connection).WaitAsync(TimeSpan.FromSeconds(40));

        Assert.That(answer, Does.StartWith("HTTP/1.1 408 Request Timeout"));
        Assert.That(answer, Does.Contain("application/fhir+json").And.Contain("arrived too slowly"));
        Assert.That(service.Output, Does.Not.Contain("fail:").And.Not.Contain("crit:"), "a slow client is not an error of the service");
    }

    [TestCase(false, TestName = "A client that closes its connection mid-body is logged at Debug, not as an error")]
    [TestCase(true, TestName = "A client that resets its connection mid-body is logged at Debug, not as an error")]
    public async Task A_client_that_disconnects_mid_body_is_logged_at_debug_not_as_an_error(bool reset)
    {
        // Issue 12: a client going away is not the service's failure. Debug for the hook invocation, so its line shows;
        // the host's "Request starting" line tells when the call is in the service (a reset before that drops it unread).
        using var service = await ServiceProcess.StartDevelopmentAsync(
            "--Logging:LogLevel:BmesCds.Service.CdsServices=Debug", "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information");
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, service.BaseUrl.Port);

            // The head promises 1000 bytes; 10 come, then the client is gone.
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "POST /cds-services/bmes-patient-view HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"hook\":\"p"));
            Assert.That(
                await Poll.UntilAsync(() => service.Output.Contains("Request starting HTTP/1.1 POST", StringComparison.Ordinal), Within), Is.True, "the call reached the service");
            if (reset)
            {
                // Linger 0: close sends RST instead of FIN.
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }

        Assert.That(
            await Poll.UntilAsync(() => service.Output.Contains("the client went away before its request body was complete", StringComparison.Ordinal), Within),
            Is.True,
            "the service noticed the client had gone");
        using var client = new HttpClient { BaseAddress = service.BaseUrl };
        Assert.That((await client.GetAsync("/cds-services")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the service goes on serving");
        Assert.That(service.Output, Does.Contain("dbug: BmesCds.Service.CdsServices.HookInvocation"));
        Assert.That(service.Output, Does.Not.Contain("fail:").And.Not.Contain("crit:"), "a client that went away is not an error of the service:\n" + service.Output);
    }

    /// <summary>The answer, up to the end of its chunked body (the server may then reset a connection whose body never came).</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream connection)
    {
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while (!answer.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal)
            && (read = await connection.ReadAsync(buffer)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }
}
