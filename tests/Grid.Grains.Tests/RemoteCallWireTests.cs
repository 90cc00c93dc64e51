using System.Text.Json;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Grains.Chain;
using Grid.Grains.Hosting;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Runtime.Transport;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>Account calls as they cross silos: every command, the results, and refusals keep their meaning on the wire.</summary>
public sealed class RemoteCallWireTests
{
    private const string AccountInterface = "Grid.Contracts.Accounts.IAccountGrain";

    private static readonly GrainCallSerializer Serializer = new([]);

    public static TheoryData<LedgerCommand> Commands() =>
    [
        new OpenAccount("Ada", Guest: true, OverdraftLimit: 50, AutoReloadThreshold: 10),
        new Deposit("d-1", 500, Reference: "stripe:pi_1", Metadata: """{"order":7}"""),
        new Debit("d-2", 20, Reference: "spell"),
        new Refund("r-1", 5),
        new Reverse("rv-1", 7, Metadata: """{"why":"chargeback"}"""),
        new Adjust("a-1", -3, "goodwill"),
        new PlaceHold("h-1", 40, ExpiresIn: TimeSpan.FromSeconds(90), Reference: "job"),
        new PlaceHold("h-2", 40, Reference: "dp_1", Forced: true),
        new CaptureHold("c-1", "h-1", 15, Final: false),
        new VoidHold("v-1", "h-1"),
        new FreezeAccount("f-1", "fraud review"),
        new UnfreezeAccount("u-1"),
        new CloseAccount("x-1"),
        new ChangeSettings("s-1", OverdraftLimit: 0, MaxOpenHolds: 20, AutoReloadThreshold: null),
    ];

    private static RemoteCallCatalog Catalog()
    {
        var services = new ServiceCollection().AddLogging().AddGrainRuntime().AddLedger();
        using var provider = services.BuildServiceProvider();
        return new RemoteCallCatalog(provider.GetRequiredService<GrainTypeRegistry>());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_ledger_command_arrives_as_the_same_record(LedgerCommand command)
    {
        var catalog = Catalog();
        var arguments = JsonSerializer.SerializeToElement(new[] { JsonSerializer.SerializeToElement<LedgerCommand>(command, Serializer.Options) });
        var call = catalog.Create(AccountInterface, "Execute_0", arguments, Serializer.Options);

        Assert.Equal(AccountInterface, catalog.InterfaceOf(call));
        var arrived = Assert.IsAssignableFrom<LedgerCommand>(call.GetType().GetProperty("command")!.GetValue(call));
        Assert.Equal(command, arrived);
        Assert.Equal(command.ToRequest(), arrived.ToRequest()); // the idempotency fingerprint is unchanged

        var body = RemoteCallProtocol.EncodeCall(new GrainId("account", "acc-1"), catalog.InterfaceOf(call), call, TimeSpan.FromSeconds(5), Serializer.Options);
        using var document = JsonDocument.Parse(body);
        var envelope = RemoteCallProtocol.DecodeEnvelope(document.RootElement);
        Assert.Equal((new GrainId("account", "acc-1"), AccountInterface, "Execute_0", TimeSpan.FromSeconds(5)), (envelope.Target, envelope.Interface, envelope.MethodId, envelope.Timeout));
        var again = catalog.Create(envelope.Interface, envelope.MethodId, envelope.Arguments, Serializer.Options);
        Assert.Equal(command, again.GetType().GetProperty("command")!.GetValue(again));
    }

    [Fact]
    public void A_guest_reversal_reaches_the_wallet_as_sent_and_a_stuck_move_comes_back_with_its_view()
    {
        const string walletInterface = "Grid.Contracts.Chain.IWalletGrain";
        var services = new ServiceCollection().AddLogging().AddGrainRuntime().AddLedger();
        services.AddGrain<WalletGrain>();
        using var provider = services.BuildServiceProvider();
        var catalog = new RemoteCallCatalog(provider.GetRequiredService<GrainTypeRegistry>());
        var reversal = new Reverse("chain:p-1:reversal:1", 7, "0xabc", """{"chainId":1}""");
        var record = new ProcessedEvent("chain", "k:deposit.reorged:1", "deposit.reorged", "p-1", "0xabc", "applied", "{}", DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var arguments = JsonSerializer.SerializeToElement(new[]
        {
            JsonSerializer.SerializeToElement(reversal, Serializer.Options),
            JsonSerializer.SerializeToElement(record, Serializer.Options),
            JsonSerializer.SerializeToElement<long?>(12, Serializer.Options),
        });
        var call = catalog.Create(walletInterface, "ReverseGuestCredit_6", arguments, Serializer.Options);

        var body = RemoteCallProtocol.EncodeCall(new GrainId("wallet", "0xW"), walletInterface, call, TimeSpan.FromSeconds(5), Serializer.Options);
        using var document = JsonDocument.Parse(body);
        var envelope = RemoteCallProtocol.DecodeEnvelope(document.RootElement);
        var arrived = catalog.Create(envelope.Interface, envelope.MethodId, envelope.Arguments, Serializer.Options);
        Assert.Equal(
            (reversal, record, 12L),
            ((Reverse)Argument(arrived, "reversal")!, (ProcessedEvent)Argument(arrived, "processedEvent")!, (long?)Argument(arrived, "creditSequence")));

        var view = new WalletView("0xW", null, "wallet-0xw", null, new StuckMoveView("wallet-link:m:0", "acc-1", 300, "validation_failed"));
        Assert.Equal(view, JsonSerializer.Deserialize<WalletView>(JsonSerializer.SerializeToUtf8Bytes(view, Serializer.Options), Serializer.Options));
    }

    private static object? Argument(GrainCall call, string name) => call.GetType().GetProperty(name)!.GetValue(call);

    [Fact]
    public void Calls_that_cannot_be_read_are_refused_with_a_reason()
    {
        var catalog = Catalog();
        var empty = JsonSerializer.SerializeToElement(Array.Empty<object>());
        Assert.Throws<NotSupportedException>(() => catalog.Create("Some.IOther", "Execute_0", empty, Serializer.Options));
        Assert.Throws<NotSupportedException>(() => catalog.Create(AccountInterface, "Nope_9", empty, Serializer.Options));
        Assert.Throws<JsonException>(() => catalog.Create(AccountInterface, "Execute_0", empty, Serializer.Options)); // one argument expected
        var unknownCommand = JsonSerializer.SerializeToElement(new[] { new { command = "mint", operationId = "m-1", amount = 1_000_000 } });
        Assert.Throws<JsonException>(() => catalog.Create(AccountInterface, "Execute_0", unknownCommand, Serializer.Options));

        using var noKey = JsonDocument.Parse("""{"type":"account","interface":"x","method":"m","timeoutMs":5,"arguments":[]}""");
        Assert.Throws<JsonException>(() => RemoteCallProtocol.DecodeEnvelope(noKey.RootElement));
        using var noTimeout = JsonDocument.Parse("""{"type":"account","key":"k","interface":"x","method":"m","timeoutMs":0,"arguments":[]}""");
        Assert.Throws<JsonException>(() => RemoteCallProtocol.DecodeEnvelope(noTimeout.RootElement));
    }

    [Fact]
    public void A_refusal_crosses_with_its_code_field_and_figures_and_runtime_errors_keep_their_type()
    {
        var errors = new RemoteErrors([new LedgerExceptionCodec()]);
        var refused = new LedgerException(LedgerErrorCodes.InsufficientFunds, "Account a has 70 available; 1000 needed.", "amount") { Available = 70, Required = 1_000 };

        var wire = RemoteCallProtocol.EncodeError(errors.Encode(refused), Serializer.Options);
        var back = Assert.IsType<LedgerException>(errors.Decode(RemoteCallProtocol.DecodeError(wire, Serializer.Options)));
        Assert.Equal((refused.Code, refused.Message, refused.Field, refused.Available, refused.Required), (back.Code, back.Message, back.Field, back.Available, back.Required));

        var grain = new GrainId("account", "a");
        var timeout = Assert.IsType<GrainCallTimeoutException>(errors.Decode(errors.Encode(new GrainCallTimeoutException(grain, "Execute", TimeSpan.FromSeconds(3)))));
        Assert.Equal((grain, "Execute", TimeSpan.FromSeconds(3)), (timeout.GrainId, timeout.Method, timeout.Timeout!.Value));
        var overloaded = Assert.IsType<GrainOverloadedException>(errors.Decode(errors.Encode(new GrainOverloadedException(grain, 10))));
        Assert.Equal(10, overloaded.Limit);
        Assert.IsType<SiloUnavailableException>(errors.Decode(errors.Encode(new SiloUnavailableException("stopping"))));
        var other = Assert.IsType<RemoteGrainException>(errors.Decode(errors.Encode(new FormatException("odd"))));
        Assert.Equal(("System.FormatException", "System.FormatException: odd"), (other.RemoteType, other.Message));
    }

    [Fact]
    public void Results_cross_as_the_same_records()
    {
        var result = new LedgerResult(
            new Grid.Ledger.Journal.JournalEntry(3, Grid.Ledger.Journal.JournalEntryKind.Capture, 15, 25, 60, 0, "c-1", "h-1", 40, 15, null, null, null, "holdId=h-1&amount=15", DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000)),
            Replayed: true);
        var json = JsonSerializer.SerializeToUtf8Bytes(result, Serializer.Options);
        var back = JsonSerializer.Deserialize<LedgerResult>(json, Serializer.Options)!;
        Assert.Equal(result.Entry, back.Entry);
        Assert.Equal(result.Replayed, back.Replayed);
    }

    [Fact]
    public void An_account_view_crosses_with_its_debt_flag()
    {
        var view = new AccountView(
            "acc-1", "Ada", Grid.Ledger.Accounts.AccountStatus.Frozen, false, new Grid.Ledger.Accounts.Balance(-50, 150, 4),
            Grid.Ledger.Accounts.AccountSettings.Default, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), InDebt: true);
        var back = JsonSerializer.Deserialize<AccountView>(JsonSerializer.SerializeToUtf8Bytes(view, Serializer.Options), Serializer.Options);
        Assert.Equal(view, back);
    }
}
