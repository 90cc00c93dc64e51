using System.Data.Common;
using Grid.Runtime.Transport;
using Xunit;

namespace Grid.Runtime.Tests.Transport;

/// <summary>
/// What a grain on another silo threw comes back as what the caller would have caught on the grain's own silo: a call
/// cycle, a failed activation and a store's transient failure stay recognisable (a gateway answers them 503 "retry with
/// the same operation id"), where they used to arrive as a bare type name and message (500).
/// </summary>
public sealed class RuntimeErrorCodecTests
{
    private static readonly RemoteErrors Errors = new([]);
    private static readonly GrainId Account = new("account", "player 42 -> odd key");

    [Fact]
    public void A_call_cycle_comes_back_as_one_with_every_link()
    {
        var cycle = new GrainCallCycleException(Account, "Execute", ["account/a.Execute", "cast/b -> c.Start", "account/a.Execute"]);

        var decoded = Assert.IsType<GrainCallCycleException>(Errors.Decode(Errors.Encode(cycle)));

        Assert.Equal((Account, "Execute", cycle.Message), (decoded.GrainId, decoded.Method, decoded.Message));
        Assert.Equal(cycle.Cycle, decoded.Cycle);
    }

    [Fact]
    public void A_failed_activation_comes_back_as_one_naming_its_grain_and_cause()
    {
        var failed = new GrainActivationException(Account, new InvalidOperationException("the state read failed"));

        var decoded = Assert.IsType<GrainActivationException>(Errors.Decode(Errors.Encode(failed)));

        Assert.Equal(Account, decoded.GrainId);
        Assert.Contains("the state read failed", decoded.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(InvalidOperationException).FullName, Assert.IsType<RemoteGrainException>(decoded.InnerException).RemoteType);
    }

    [Fact]
    public void A_transient_store_failure_comes_back_marked_transient_and_a_lasting_one_does_not()
    {
        var transient = Assert.IsType<RemoteGrainException>(Errors.Decode(Errors.Encode(new StoreFailure("server restarting", transient: true))));
        var lasting = Assert.IsType<RemoteGrainException>(Errors.Decode(Errors.Encode(new StoreFailure("syntax error", transient: false))));

        Assert.True(transient.IsTransient);
        Assert.Equal(typeof(StoreFailure).FullName, transient.RemoteType);
        Assert.Contains("server restarting", transient.Message, StringComparison.Ordinal);
        Assert.False(lasting.IsTransient);
    }

    [Fact]
    public void A_cycle_frame_naming_more_links_than_any_chain_has_is_refused_as_malformed()
    {
        var encoded = Errors.Encode(new GrainCallCycleException(Account, "Execute", ["x"]));
        var forged = encoded with { Data = new Dictionary<string, string?>(encoded.Data!) { ["links"] = "100000000" } };

        Assert.Throws<FormatException>(() => Errors.Decode(forged));
    }

    private sealed class StoreFailure(string message, bool transient) : DbException(message)
    {
        public override bool IsTransient { get; } = transient;
    }
}
