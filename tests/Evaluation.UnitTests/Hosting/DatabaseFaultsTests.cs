using Evaluation.Grains.Hosting;
using Npgsql;
using Xunit;

namespace Evaluation.UnitTests.Hosting;

/// <summary>Which database faults a source is told to retry (503) rather than refused: a failover must look like the former.</summary>
public sealed class DatabaseFaultsTests
{
    [Fact]
    public void A_multi_host_string_that_finds_no_primary_yet_is_transient()
    {
        Assert.True(DatabaseFaults.IsTransient(new NpgsqlException("No suitable host was found.")));
        Assert.True(DatabaseFaults.IsTransient(new NpgsqlException(
            "Unable to connect to a suitable host. Check inner exception for more details.",
            new AggregateException(new NpgsqlException("Failed to connect to 127.0.0.1:6011", new System.Net.Sockets.SocketException(111))))));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction, true)]  // a node demoted since the connection was made
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.SerializationFailure, true)]
    [InlineData(PostgresErrorCodes.UniqueViolation, false)]
    [InlineData(PostgresErrorCodes.CheckViolation, false)]
    public void The_servers_own_answer_decides(string sqlState, bool transient) =>
        Assert.Equal(transient, DatabaseFaults.IsTransient(new PostgresException("refused", "ERROR", "ERROR", sqlState)));
}
