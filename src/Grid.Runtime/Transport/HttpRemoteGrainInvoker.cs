using Grid.Runtime.Membership;
using Grid.Runtime.Placement;

namespace Grid.Runtime.Transport;

/// <summary>
/// The silo's way to calls for grains other silos own: <see cref="RemoteCallSender"/> over the silo's membership.
/// An unreachable owner fails the call with <see cref="SiloUnavailableException"/> at once (the gateway answers
/// 503 and its client retries); only embedded clients retry by themselves.
/// </summary>
public sealed class HttpRemoteGrainInvoker(
    MembershipService membership,
    RemoteCallSender sender,
    RemoteCallCatalog catalog) : IRemoteGrainInvoker
{
    public void Send(GrainId target, GrainCall call, TimeSpan timeout) => _ = SendAsync(target, call, timeout);

    private async Task SendAsync(GrainId target, GrainCall call, TimeSpan timeout)
    {
        try
        {
            await sender.SendAsync(target, catalog.InterfaceOf(call), call, timeout, membership, retryUnavailable: false);
        }
        catch (OperationCanceledException)
        {
            // The caller's own timer fails the call with GrainCallTimeoutException.
        }
        catch (Exception failed)
        {
            call.Fail(failed);
        }
    }
}
