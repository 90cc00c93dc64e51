// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title A price feed for tests
/// @notice Answers like a Chainlink aggregator (AggregatorV3Interface: `decimals`, `latestRoundData`) with an
/// answer and update time that anyone may set. Each `set` starts a new round. For tests only.
contract TestPriceFeed {
    uint8 public constant decimals = 8;
    string public constant description = "TEST / USD";
    uint256 public constant version = 1;

    uint80 private _roundId;
    int256 private _answer;
    uint256 private _updatedAt;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    function set(int256 answer, uint256 updatedAt) external {
        _roundId += 1;
        _answer = answer;
        _updatedAt = updatedAt;
        emit AnswerUpdated(answer, _roundId, updatedAt);
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }
}
